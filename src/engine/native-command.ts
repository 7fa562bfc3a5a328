/**
 * `continue` and `rollback`: find the service's current service deployment (or the one named), send the one call
 * planNativeAction decides, then follow the deployment by ARN to its end and say what it was.
 */
import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { classifyService, isNative } from "./classify.js";
import { pausedVerdict } from "./deployment-report.js";
import { CageError } from "./errors.js";
import type { Phase } from "./events.js";
import {
  type NativeAction,
  type NativeCommand,
  planNativeAction,
  sendNativeAction,
  serviceLabel,
  VERB,
} from "./native-action.js";
import { callAws } from "./polling.js";
import { requireActiveService } from "./preflight.js";
import { type PreviousRevision, previousRevision } from "./previous-revision.js";
import { isCanceled, unsettledBy, unsettledField } from "./read-back.js";
import { rollout as rolloutCommand } from "./rollout.js";
import { concludeWith, ServiceChange, type Verdict } from "./service-change.js";
import { findServiceDeployment, followServiceDeployment, type ServiceDeploymentEnd } from "./service-deployment.js";
import { cleanupSession, errorText, inPhase, openSession, type Session } from "./session.js";
import type { CommandResult, EngineDeps, NativeSettings, PreviousRollout } from "./settings.js";

/** Reading the deployment back after a lost answer is one call: this bounds it when AWS does not answer. */
const READ_BACK_MS = 30_000;

const PHASE: Record<NativeCommand, Phase> = { continue: "deployment", rollback: "rollback" };

export async function nativeCommand(
  command: NativeCommand,
  settings: NativeSettings,
  deps: EngineDeps,
): Promise<CommandResult> {
  const session = openSession(deps, settings.timeouts.overall);
  const change = new ServiceChange();
  let arn = settings.serviceDeploymentArn;
  let result: Verdict;
  try {
    const { deployment, previous } = await inPhase(
      session,
      "preflight",
      `${settings.cluster}/${settings.service}`,
      () => currentDeployment(session, command, settings),
      (found) => (found.previous ? `rollback to ${found.previous.label}` : undefined),
    );
    if (previous && settings.rollout) return rollBackTo(session, settings, settings.rollout, previous, deps);
    arn = deployment?.serviceDeploymentArn ?? arn;
    const action = planNativeAction(command, deployment, {
      service: serviceLabel(settings),
      command: session.naming.command(command),
      waitUntil: session.naming.input("wait-until"),
    });
    arn = action.serviceDeploymentArn;
    const end = await inPhase(
      session,
      PHASE[command],
      describeAction(action),
      async () => {
        await sendNativeAction(session, action, () => describe(session, action.serviceDeploymentArn, PHASE[command]));
        change.confirmed(action.serviceDeploymentArn);
        return followServiceDeployment(session, {
          target: settings,
          serviceDeploymentArn: action.serviceDeploymentArn,
          // A rollback is followed to its end; a continue may stop at the next PAUSE hook, as a rollout does.
          waitUntil: command === "continue" ? (settings.waitUntil ?? "deployed") : "deployed",
          timeout: settings.timeouts.deployment,
          phase: PHASE[command],
          ...(action.call === "continue" ? { answeredHook: action.hookId } : {}),
        });
      },
      (end) => (isWanted(command, end) ? inert(end.deployment.status ?? end.state) : { failed: endText(end) }),
    );
    result = verdictOf(session, command, settings, action, end);
  } catch (error) {
    const call = unsettledBy(error);
    if (call && arn)
      change.unknown(`${call.operation} was sent and its answer never came; ${await readBack(session, arn)}`);
    result = { ...unsettledField(error), result: isCanceled(error) ? "canceled" : "failed", message: errorText(error) };
  }
  return concludeWith(session, settings, change, { ...result, ...(arn ? { serviceDeploymentArn: arn } : {}) });
}

interface Current {
  deployment?: ServiceDeployment;
  /** `rollback` of a ROLLING service with nothing in flight: the revision it goes back to through a canary. */
  previous?: PreviousRevision;
}

/** The deployment named, or the service's newest one in flight; with none, a refusal saying what its latest did. */
async function currentDeployment(session: Session, command: NativeCommand, settings: NativeSettings): Promise<Current> {
  if (settings.serviceDeploymentArn) {
    const named = await describe(session, settings.serviceDeploymentArn);
    const ofService = named?.serviceArn?.endsWith(`/${settings.cluster}/${settings.service}`) ?? false;
    if (!named || !ofService) {
      throw new CageError(
        "refused",
        "preflight",
        `Nothing to ${VERB[command]}: service deployment ${inert(settings.serviceDeploymentArn)} ${named ? `belongs to ${inert(named.serviceArn ?? "another service")}, not to` : "was not found for"} ${serviceLabel(settings)}.`,
        `Name a deployment of this service, or leave ${session.naming.input("service-deployment-arn")} empty to act on its current one.`,
      );
    }
    return { deployment: named };
  }
  const found = await findServiceDeployment(session, settings, { phase: "preflight" });
  if (found.inFlight) return { deployment: await describe(session, found.inFlight) };
  if (command === "rollback" && settings.rollout) {
    const live = await requireActiveService(session, settings);
    if (!isNative(classifyService(live))) return { previous: await previousRevision(session, settings, live) };
  }
  // Nothing in flight: the newest deployment of any status, so the refusal can say what it did.
  const latest = await findServiceDeployment(session, settings, { phase: "preflight", since: 0 });
  return latest.created ? { deployment: await describe(session, latest.created) } : {};
}

/** ROLLING with nothing in flight: the previous revision goes out as any rollout does, its canary first. */
function rollBackTo(
  session: Session,
  settings: NativeSettings,
  rollout: PreviousRollout,
  previous: PreviousRevision,
  deps: EngineDeps,
): Promise<CommandResult> {
  session.emit({
    type: "notice",
    level: "info",
    message: `Rolling ${serviceLabel(settings)} back to ${inert(previous.label)}, the revision it ran before service deployment ${inert(previous.replacedBy)}: a canary of it first, then the service.`,
  });
  const { region, cluster, service } = settings;
  return rolloutCommand(
    { ...rollout, region, cluster, service, taskDefinitionArn: previous.taskDefinitionArn, rollbackTo: previous.label },
    deps,
  );
}

/** What the deployment shows after a call whose answer was lost: read, not assumed. */
async function readBack(session: Session, arn: string): Promise<string> {
  try {
    const d = await describe(cleanupSession(session, READ_BACK_MS), arn);
    if (!d) return `read back: service deployment ${inert(arn)} was not found`;
    const hooks = (d.lifecycleHookDetails ?? []).map((h) => `hook ${inert(h.hookId ?? "?")} ${inert(h.status ?? "?")}`);
    const stage = d.lifecycleStage ? ` (${inert(d.lifecycleStage)})` : "";
    return `read back: service deployment ${inert(arn)} is ${inert(d.status ?? "?")}${stage}${hooks.length ? `, ${hooks.join(", ")}` : ""}`;
  } catch (error) {
    return `reading service deployment ${inert(arn)} back failed too (${errorText(error)})`;
  }
}

async function describe(
  session: Session,
  arn: string,
  phase: Phase = "preflight",
): Promise<ServiceDeployment | undefined> {
  const out = await callAws(session, phase, "ecs:DescribeServiceDeployments", (signal) =>
    session.aws.ecs.describeServiceDeployments({ serviceDeploymentArns: [arn] }, signal),
  );
  return out.serviceDeployments?.[0];
}

function describeAction(action: NativeAction): string {
  return action.call === "continue"
    ? `ContinueServiceDeployment ${action.action} of hook ${inert(action.hookId)} of ${inert(action.serviceDeploymentArn)}`
    : `StopServiceDeployment ROLLBACK of ${inert(action.serviceDeploymentArn)}`;
}

/** What each command asked for: `continue` a successful deployment (or where wait-until stops), `rollback` a completed rollback. */
function isWanted(command: NativeCommand, end: ServiceDeploymentEnd): boolean {
  return command === "continue"
    ? end.state === "SUCCESSFUL" || end.state === "PAUSED" || end.state === "TRAFFIC_SHIFTED"
    : end.state === "ROLLED_BACK" && end.deployment.status === "ROLLBACK_SUCCESSFUL";
}

function endText(end: ServiceDeploymentEnd): string {
  const status = inert(end.deployment.status ?? end.state);
  return "reason" in end ? `${status}: ${end.reason}` : status;
}

function verdictOf(
  session: Session,
  command: NativeCommand,
  settings: NativeSettings,
  action: NativeAction,
  end: ServiceDeploymentEnd,
): Verdict {
  const arn = inert(action.serviceDeploymentArn);
  const hook = action.call === "continue" ? inert(action.hookId) : "";
  const of = `service deployment ${arn} of ${serviceLabel(settings)}`;
  if (end.state === "PAUSED") {
    const paused = pausedVerdict(session, settings.service, action.serviceDeploymentArn, end);
    return { ...paused, message: `Continued hook ${hook} of ${of}. ${paused.message}` };
  }
  if (end.state === "TRAFFIC_SHIFTED") {
    const waitUntil = session.naming.input("wait-until");
    return {
      result: "succeeded",
      message: `Continued hook ${hook} of ${of}: production traffic shifted; ECS goes on with ${inert(end.stage)} (${waitUntil}: traffic-shifted).`,
      lifecycleStage: end.stage,
    };
  }
  if (isWanted(command, end)) {
    return command === "continue"
      ? { result: "succeeded", message: `Continued hook ${hook} of ${of}: it ended SUCCESSFUL.` }
      : { result: "succeeded", message: `Rolled back ${of}: the rollback completed (ROLLBACK_SUCCESSFUL).` };
  }
  if (command === "continue") {
    const rolledBack = end.state === "ROLLED_BACK";
    return {
      result: rolledBack ? "rolled-back" : "failed",
      message: `Continued hook ${hook} of ${of}, but it did not succeed: it ended ${endText(end)}.`,
    };
  }
  return {
    result: "failed",
    message: `Asked ECS to roll back ${of}, but the rollback did not complete: it ended ${endText(end)}.`,
  };
}
