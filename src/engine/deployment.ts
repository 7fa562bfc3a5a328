/** Updates the service, follows that deployment, and on failure rolls back (or leaves it, as asked). */
import type { Service, UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { type DeploymentEnd, failureEvidence, watchDeployment } from "./deployment-watch.js";
import { CageError } from "./errors.js";
import type { Phase, Result } from "./events.js";
import { shortTaskDefinition } from "./labels.js";
import { callAws } from "./polling.js";
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
  /** Called as soon as UpdateService has been accepted. */
  onServiceChanged?: (deploymentId: string) => void;
}

export interface DeployOutcome {
  result: Result;
  message: string;
  deploymentId?: string;
  /** Service events and failed tasks' stop reasons that explain a failure. */
  evidence?: string[];
}

export async function updateAndFollow(session: Session, step: DeployStep): Promise<DeployOutcome> {
  const since = session.clock.now();
  const next = shortTaskDefinition(step.taskDefinitionArn);
  const deploymentId = await inPhase(
    session,
    "service-update",
    `${shortTaskDefinition(step.previous.taskDefinition ?? "?")} → ${next}`,
    () => startDeployment(session, "service-update", step.plan.input),
  );
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
  let end: DeploymentEnd | undefined;
  let failure: string;
  try {
    await inPhase(session, "deployment", deploymentId, async () => {
      const outcome = await watchDeployment(session, {
        target: step.target,
        deploymentId,
        phase: "deployment",
        timeout: step.timeouts.deployment,
        ...(step.previous.taskDefinition ? { previousTaskDefinition: step.previous.taskDefinition } : {}),
      });
      end = outcome;
      if (outcome.state !== "COMPLETED")
        throw new CageError("deployment-failed", "deployment", describeEnd(deploymentId, outcome));
      return outcome;
    });
    return { result: "succeeded", message: `Service '${step.target.service}' rolled out to ${next}.`, deploymentId };
  } catch (error) {
    if (error instanceof CageError && error.kind === "canceled") throw error;
    failure = errorText(error);
  }
  const evidence = await failureEvidence(session, step.target, end?.service ?? {}, step.taskDefinitionArn, since);
  if (step.onDeploymentFailure === "leave") {
    return {
      result: "failed",
      deploymentId,
      evidence,
      message: `${failure} The service was left as it is (${session.naming.input("on-deployment-failure")}: leave); check it in the ECS console.`,
    };
  }
  const rollback = await rollBack(session, step, end);
  return { ...rollback, deploymentId, evidence, message: `${failure} ${rollback.message}` };
}

function describeEnd(deploymentId: string, end: Exclude<DeploymentEnd, { state: "COMPLETED" }>): string {
  switch (end.state) {
    case "ROLLED_BACK":
      return `Deployment ${deploymentId} failed and ECS rolled it back (deployment circuit breaker): ${sentence(end.reason)}`;
    case "SUPERSEDED":
      return `Deployment ${deploymentId} was replaced before it completed: ${sentence(end.reason)}`;
    default:
      return `Deployment ${deploymentId} FAILED: ${sentence(end.reason)}`;
  }
}

/** Back to the previous task definition: follow ECS's own rollback if it started one, else start ours. */
async function rollBack(
  commandSession: Session,
  step: DeployStep,
  end: DeploymentEnd | undefined,
): Promise<{ result: Result; message: string }> {
  // A rollback is repair work: it gets a deployment's time even when the overall deadline has run out.
  const session = {
    ...commandSession,
    deadline: Math.max(commandSession.deadline, commandSession.clock.now() + step.timeouts.deployment),
  };
  const previous = shortTaskDefinition(step.previous.taskDefinition ?? "?");
  const phase: Phase = "rollback";
  let started: string | undefined;
  try {
    return await inPhase(session, phase, `back to ${previous}`, async () => {
      const ecsRollback = end && end.state === "ROLLED_BACK" ? end.replacedBy?.id : undefined;
      const id =
        ecsRollback ?? (await startDeployment(session, phase, planRollback(step.target, step.previous, step.plan)));
      started = id;
      const outcome = await watchDeployment(session, {
        target: step.target,
        deploymentId: id,
        phase,
        timeout: step.timeouts.deployment,
      });
      if (outcome.state !== "COMPLETED") throw new CageError("deployment-failed", phase, describeEnd(id, outcome));
      return {
        result: "rolled-back" as const,
        message: `${ecsRollback ? "ECS rolled" : "Rolled"} the service back to ${previous} (deployment ${id} completed).`,
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

/** Sends UpdateService and returns the id of the deployment it created (the PRIMARY one with its task definition). */
async function startDeployment(session: Session, phase: Phase, input: UpdateServiceCommandInput): Promise<string> {
  const out = await callAws(
    session,
    phase,
    "ecs:UpdateService",
    (signal) => session.aws.ecs.updateService(input, signal),
    { retry: true, mutating: true },
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
  return created.id;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
