/** Updates the service, follows that deployment, and on failure rolls back (or leaves it, as asked). */
import type {
  Service,
  ServiceDeployment,
  UpdateServiceCommandInput,
  UpdateServiceCommandOutput,
} from "@aws-sdk/client-ecs";
import { type Followed, followUpdate } from "./deployment-follow.js";
import { describeEnd, pausedVerdict, readBackSentence } from "./deployment-report.js";
import { failureEvidence } from "./deployment-watch.js";
import { CageError } from "./errors.js";
import type { Phase, Result } from "./events.js";
import { shortTaskDefinition } from "./labels.js";
import { planNativeAction, sendNativeAction } from "./native-action.js";
import { callOnceThenCheck } from "./polling.js";
import { describeService } from "./preflight.js";
import { describeServiceDeployment, followServiceDeployment, type WaitUntil } from "./service-deployment.js";
import { planRollback, type UpdatePlan } from "./service-update.js";
import { errorText, inPhase, type Session } from "./session.js";
import type { Target, Timeouts } from "./settings.js";

export interface DeployStep {
  target: Target;
  taskDefinitionArn: string;
  plan: UpdatePlan;
  previous: Service;
  timeouts: Timeouts;
  onDeploymentFailure: "rollback" | "leave";
  /** Where following the deployment ends: its end, production at 100 %, or a PAUSE hook waiting. */
  waitUntil?: WaitUntil;
  /** Called as soon as UpdateService has been accepted. */
  onServiceChanged?: (deploymentId: string) => void;
}

export interface DeployOutcome {
  result: Result;
  message: string;
  deploymentId?: string;
  serviceDeploymentArn?: string;
  lifecycleStage?: string;
  hookId?: string;
  hookExpiresAt?: Date;
  /** Service events and failed tasks' stop reasons that explain a failure. */
  evidence?: string[];
}

const NATIVE = new Set(["BLUE_GREEN", "LINEAR", "CANARY"]);

/** ECS shifts traffic itself on these: cage never sends UpdateService into one of their deployments. */
function isNative(step: DeployStep, read?: ServiceDeployment): boolean {
  const strategy =
    read?.deploymentConfiguration?.strategy ??
    step.plan.input.deploymentConfiguration?.strategy ??
    step.previous.deploymentConfiguration?.strategy;
  return NATIVE.has(strategy ?? "ROLLING");
}

export async function updateAndFollow(session: Session, step: DeployStep): Promise<DeployOutcome> {
  const since = session.clock.now();
  const next = shortTaskDefinition(step.taskDefinitionArn);
  const started = await inPhase(
    session,
    "service-update",
    `${shortTaskDefinition(step.previous.taskDefinition ?? "?")} → ${next}`,
    () => startDeployment(session, "service-update", step.plan.input, idsOf(step.previous)),
  );
  const deploymentId = started.id;
  step.onServiceChanged?.(deploymentId);
  session.emit({
    type: "resource",
    kind: "service-update",
    id: deploymentId,
    detail: {
      service: step.target.service,
      previousTaskDefinition: step.previous.taskDefinition ?? "",
      taskDefinition: step.taskDefinitionArn,
    },
  });
  let followed: Followed | undefined;
  let arn: string | undefined;
  let failure: string;
  try {
    followed = await inPhase(session, "deployment", deploymentId, async () => {
      const outcome = await followUpdate(session, {
        target: step.target,
        deploymentId,
        createdAt: started.createdAt ?? since,
        phase: "deployment",
        timeout: step.timeouts.deployment,
        waitUntil: step.waitUntil ?? "deployed",
        onFound: (found) => {
          arn = found;
        },
        ...(step.previous.taskDefinition ? { previousTaskDefinition: step.previous.taskDefinition } : {}),
      });
      followed = outcome;
      if (!passes(outcome))
        throw new CageError("deployment-failed", "deployment", describeEnd(deploymentId, outcome.end));
      return outcome;
    });
    return { ...passed(session, step, deploymentId, followed), ...facts(followed) };
  } catch (error) {
    if (error instanceof CageError && error.kind === "canceled") throw error;
    failure = errorText(error);
  }
  const service = await describeService(session, "deployment", step.target.cluster, step.target.service).catch(
    () => undefined,
  );
  const evidence = await failureEvidence(session, step.target, service ?? {}, step.taskDefinitionArn, since);
  const base: DeployOutcome = {
    result: "failed",
    message: "",
    deploymentId,
    evidence,
    ...(arn ? { serviceDeploymentArn: arn } : {}),
    ...facts(followed),
  };
  const end = followed?.end;
  if (end?.state === "ROLLED_BACK") {
    const ok = end.deployment.status !== "ROLLBACK_FAILED";
    const previous = shortTaskDefinition(step.previous.taskDefinition ?? "?");
    return {
      ...base,
      result: ok ? "rolled-back" : "failed",
      message: ok
        ? `${failure} ECS rolled the service back to ${previous}.`
        : `${failure} ECS's rollback failed too: the service needs attention now; check it in the ECS console.`,
    };
  }
  if (end?.state === "SUPERSEDED") {
    return { ...base, result: "failed", message: `${failure} cage does not roll back over a newer deployment.` };
  }
  // Not ended (a timeout, a lost look) or ended STOPPED: say what the deployment is now, as read.
  const read = arn ? await describeServiceDeployment(session, "deployment", arn).catch(() => undefined) : undefined;
  const now = read ? ` ${readBackSentence(read)}` : "";
  if (read?.lifecycleStage) base.lifecycleStage = read.lifecycleStage;
  if (step.onDeploymentFailure === "leave") {
    return {
      ...base,
      result: "failed",
      message: `${failure}${now} The service was left as it is (${session.naming.input("on-deployment-failure")}: leave); check it in the ECS console.`,
    };
  }
  if (isNative(step, read ?? end?.deployment)) {
    const rollback = await rollBackNative(session, step, read);
    return { ...base, ...rollback, message: `${failure}${now} ${rollback.message}` };
  }
  const rollback = await rollBack(session, step, deploymentId);
  return { ...base, ...rollback, message: `${failure}${now} ${rollback.message}` };
}

function passes(f: Followed): boolean {
  return f.end.state === "SUCCESSFUL" || f.end.state === "TRAFFIC_SHIFTED" || f.end.state === "PAUSED";
}

function passed(session: Session, step: DeployStep, deploymentId: string, f: Followed | undefined): DeployOutcome {
  const next = shortTaskDefinition(step.taskDefinitionArn);
  const end = f?.end;
  if (end?.state === "PAUSED") {
    return { ...pausedVerdict(session, step.target.service, f?.serviceDeploymentArn, end), deploymentId };
  }
  if (end?.state === "TRAFFIC_SHIFTED") {
    return {
      result: "succeeded",
      deploymentId,
      message: `Service '${step.target.service}' shifted production traffic to ${next}; ECS goes on with ${end.stage} (${session.naming.input("wait-until")}: traffic-shifted).`,
    };
  }
  return { result: "succeeded", message: `Service '${step.target.service}' rolled out to ${next}.`, deploymentId };
}

/** The outputs a followed service deployment gives: its ARN, where it got to, and the hook it waits at. */
function facts(f: Followed | undefined): Partial<DeployOutcome> {
  if (!f?.serviceDeploymentArn) return {};
  const end = f.end;
  const stage = "stage" in end ? end.stage : end.deployment.lifecycleStage;
  return {
    serviceDeploymentArn: f.serviceDeploymentArn,
    ...(stage ? { lifecycleStage: stage } : {}),
    ...(end.state === "PAUSED"
      ? { hookId: end.hookId, ...(end.expiresAt ? { hookExpiresAt: end.expiresAt } : {}) }
      : {}),
  };
}

/** A rollback is repair work: it gets a deployment's time even when the overall deadline has run out. */
function repairSession(session: Session, step: DeployStep): Session {
  return { ...session, deadline: Math.max(session.deadline, session.clock.now() + step.timeouts.deployment) };
}

/** On a native strategy: the deployment in flight is ended by ECS (StopServiceDeployment or the hook's ROLLBACK). */
async function rollBackNative(
  commandSession: Session,
  step: DeployStep,
  read: ServiceDeployment | undefined,
): Promise<{ result: Result; message: string }> {
  const session = repairSession(commandSession, step);
  const arn = read?.serviceDeploymentArn;
  const inFlight = read?.status === "IN_PROGRESS" || read?.status === "PENDING";
  if (!arn || !inFlight) {
    return {
      result: "failed",
      message: `On the ${read?.deploymentConfiguration?.strategy ?? "native"} strategy cage sends no UpdateService after a failed deployment, and this one is no longer in flight to roll back: check the service in the ECS console.`,
    };
  }
  try {
    return await inPhase(session, "rollback", arn, async () => {
      await sendNativeAction(session, planNativeAction("rollback", read), () =>
        describeServiceDeployment(session, "rollback", arn),
      );
      const end = await followServiceDeployment(session, {
        target: step.target,
        serviceDeploymentArn: arn,
        waitUntil: "deployed",
        timeout: step.timeouts.deployment,
        phase: "rollback",
      });
      if (end.state === "ROLLED_BACK" && end.deployment.status === "ROLLBACK_SUCCESSFUL")
        return { result: "rolled-back" as const, message: `ECS rolled the deployment back (${end.reason}).` };
      throw new CageError("deployment-failed", "rollback", describeEnd(arn, end));
    });
  } catch (error) {
    if (error instanceof CageError && error.kind === "canceled") throw error;
    return {
      result: "failed",
      message: `Rolling back service deployment ${arn} was asked but not seen to end: ${errorText(error)} The service needs attention now: check it in the ECS console.`,
    };
  }
}

/** ROLLING: back to the previous task definition with an UpdateService of our own, followed to its end. */
async function rollBack(
  commandSession: Session,
  step: DeployStep,
  failedId: string,
): Promise<{ result: Result; message: string }> {
  const session = repairSession(commandSession, step);
  const previous = shortTaskDefinition(step.previous.taskDefinition ?? "?");
  const phase: Phase = "rollback";
  let started: string | undefined;
  try {
    return await inPhase(session, phase, `back to ${previous}`, async () => {
      const input = planRollback(step.target, step.previous, step.plan);
      const back = await startDeployment(session, phase, input, [...idsOf(step.previous), failedId]);
      started = back.id;
      const { end } = await followUpdate(session, {
        target: step.target,
        deploymentId: back.id,
        createdAt: back.createdAt ?? session.clock.now(),
        phase,
        timeout: step.timeouts.deployment,
        waitUntil: "deployed",
      });
      if (end.state !== "SUCCESSFUL") throw new CageError("deployment-failed", phase, describeEnd(back.id, end));
      return {
        result: "rolled-back" as const,
        message: `Rolled the service back to ${previous} (deployment ${back.id} completed).`,
      };
    });
  } catch (error) {
    if (error instanceof CageError && error.kind === "canceled") throw error;
    // Started but not seen to complete: the service may well be back on the previous revision, so say so.
    const what = started
      ? `The rollback to ${previous} was started (deployment ${started}) but not seen to complete`
      : `Rolling back to ${previous} failed too`;
    return {
      result: "failed",
      message: `${what}: ${errorText(error)} The service needs attention now: check it in the ECS console.`,
    };
  }
}

/**
 * Sends UpdateService and returns the deployment it created (the PRIMARY one with its task definition). A lost
 * answer is read back before anything is sent again: on a native strategy a second UpdateService would start (and
 * supersede) a second service deployment.
 */
async function startDeployment(
  session: Session,
  phase: Phase,
  input: UpdateServiceCommandInput,
  known: readonly string[],
): Promise<{ id: string; createdAt?: number }> {
  const out = await callOnceThenCheck(
    session,
    phase,
    "ecs:UpdateService",
    (signal) => session.aws.ecs.updateService(input, signal),
    async () => {
      const service = await describeService(session, phase, input.cluster ?? "", input.service ?? "");
      const made = service?.deployments?.some(
        (d) => d.status === "PRIMARY" && d.taskDefinition === input.taskDefinition && !known.includes(d.id ?? ""),
      );
      return made ? ({ service, $metadata: {} } as UpdateServiceCommandOutput) : undefined;
    },
  );
  const deployments = out.service?.deployments ?? [];
  const created =
    deployments.find((d) => d.status === "PRIMARY" && d.taskDefinition === input.taskDefinition) ??
    deployments.find((d) => d.status === "PRIMARY");
  if (!created?.id) {
    throw new CageError(
      "aws",
      phase,
      "UpdateService returned no PRIMARY deployment to follow.",
      "Check the service in the ECS console.",
    );
  }
  return { id: created.id, ...(created.createdAt ? { createdAt: created.createdAt.getTime() } : {}) };
}

const idsOf = (service: Service): string[] => (service.deployments ?? []).map((d) => d.id ?? "");
