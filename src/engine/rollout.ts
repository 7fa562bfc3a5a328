/**
 * `cage rollout`: preflight, task definition, ONE canary evaluated until it passes or definitely fails, then the
 * service update in parallel with the canary's drain (on BLUE_GREEN, LINEAR and CANARY: after the canary is gone),
 * following that deployment. The canary is always cleaned up.
 */
import type { Service } from "@aws-sdk/client-ecs";
import type { Canary } from "./canary.js";
import { evaluateCanary } from "./canary-evaluation.js";
import { type ReleaseOutcome, releaseCanary } from "./canary-release.js";
import { startCanary, yieldToEarlierCanary } from "./canary-start.js";
import { classifyService, isNative } from "./classify.js";
import { type DeployOutcome, updateAndFollow } from "./deployment.js";
import { CageError } from "./errors.js";
import { keepRevisions } from "./keep-revisions.js";
import { canaryGroup, startedByFor } from "./labels.js";
import { prepareRollout } from "./preflight.js";
import {
  isCanceled,
  mayShowLater,
  readServiceBack,
  unknownTasksOfRun,
  unsettledBy,
  unsettledField,
} from "./read-back.js";
import { concludeWith, ServiceChange } from "./service-change.js";
import { planUpdate } from "./service-update.js";
import { errorText, inPhase, openSession, type Session } from "./session.js";
import type { CommandResult, EngineDeps, RolloutSettings } from "./settings.js";
import type { TargetGroupInfo } from "./targets.js";
import { familyOf } from "./task-definition.js";
import { TaskWatch } from "./task-watch.js";

interface Progress {
  canary?: Canary;
  groups: ReadonlyMap<string, TargetGroupInfo>;
  taskDefinitionArn?: string;
  serviceArn?: string;
  /** The service as it was before the update. */
  live?: Service;
  /** The canary is being started: it may exist before its ARN is known. */
  launching: boolean;
  /** The service is being updated: it may change before UpdateService answers. */
  updating: boolean;
  /** Whether the service took the update: its answer, or what was read back. */
  service: ServiceChange;
  deploymentId?: string;
  release?: Promise<ReleaseOutcome>;
}

/** What a failed or canceled rollout read back from the world before it reported. */
interface ReadBack {
  /** Canaries of this run the command had not heard of, and how stopping each went. */
  strays: { taskArn: string; outcome: ReleaseOutcome }[];
  problem?: string;
}

export async function rollout(settings: RolloutSettings, deps: EngineDeps): Promise<CommandResult> {
  const session = openSession(deps, settings.timeouts.overall);
  const progress: Progress = { groups: new Map(), launching: false, updating: false, service: new ServiceChange() };
  let outcome: DeployOutcome;
  try {
    outcome = await roll(session, settings, progress);
  } catch (error) {
    const released = await releaseIfStarted(session, settings, progress, "cage: canary failed or run canceled");
    const read = await readBack(session, settings, progress, error);
    return conclude(session, settings, progress, failureOf(error), released, read, error);
  }
  const released = await releaseIfStarted(session, settings, progress, "cage: canary passed");
  const pruned =
    outcome.result === "succeeded" && released?.ok !== false && settings.keepRevisions && progress.taskDefinitionArn
      ? await keepRevisions(session, settings.keepRevisions, progress.taskDefinitionArn, progress.live?.taskDefinition)
      : undefined;
  const result = conclude(session, settings, progress, outcome, released);
  return pruned ? { ...result, deregisteredRevisions: pruned.deregistered } : result;
}

async function roll(session: Session, settings: RolloutSettings, progress: Progress): Promise<DeployOutcome> {
  const prepared = await prepareRollout(session, settings);
  progress.groups = prepared.groups;
  progress.serviceArn = prepared.live.serviceArn;
  progress.live = prepared.live;
  const td = prepared.taskDefinition;
  progress.taskDefinitionArn = td.arn;
  const plan = planUpdate(
    settings,
    td.arn,
    prepared.live,
    settings.updateService ? settings.context?.service : undefined,
  );
  for (const message of plan.notices) session.emit({ type: "notice", level: "warning", message });

  progress.launching = true;
  const canary = await inPhase(session, "canary-start", td.arn, () =>
    startCanary(session, {
      cluster: settings.cluster,
      service: settings.service,
      runId: settings.runId,
      taskDefinitionArn: td.arn,
      source: prepared.source,
      ...(prepared.instance ? { containerInstanceArn: prepared.instance.arn } : {}),
    }),
  );
  progress.canary = canary;
  await yieldToEarlierCanary(
    session,
    canary,
    [td.family, familyOf(prepared.live.taskDefinition ?? "")],
    startedByFor(settings.runId),
  );
  await evaluateCanary(session, {
    canary,
    watch: new TaskWatch(session, settings.cluster, canary.taskArn),
    containers: td.containers,
    loadBalancers: prepared.source.loadBalancers,
    groups: prepared.groups,
    idleMs: settings.canaryTaskIdleDuration,
    ...(prepared.soak ? { soak: prepared.soak } : {}),
    timeouts: settings.timeouts,
  });
  const { strategy } = classifyService(prepared.live);
  const native = isNative({ strategy });
  session.emit({
    type: "notice",
    level: "info",
    message: native
      ? `Canary ${canary.taskArn} passed; taking it out before the ${strategy} deployment, so ECS never shifts or rolls it back with the service.`
      : `Canary ${canary.taskArn} passed; updating the service while it drains.`,
  });
  // Deregistration starts now, so the canary stops taking traffic while the deployment runs.
  progress.release = releaseCanary(session, canary, releaseOptions(settings, progress, "cage: canary passed"));
  if (native && !(await progress.release).ok) {
    throw new CageError(
      "aws",
      "cleanup",
      `Canary ${canary.taskArn} passed, but taking it out did not finish, so the service was not updated: on a ${strategy} service a canary left in a target group would be shifted to production with the new tasks or come back with a rollback.`,
      `Run ${session.naming.command("cleanup")} for this service, then run again.`,
    );
  }
  progress.updating = true;
  return updateAndFollow(session, {
    target: settings,
    taskDefinitionArn: td.arn,
    plan,
    previous: prepared.live,
    timeouts: settings.timeouts,
    onDeploymentFailure: settings.onDeploymentFailure,
    ...(settings.waitUntil ? { waitUntil: settings.waitUntil } : {}),
    onServiceChanged: (deploymentId) => {
      progress.service.confirmed(deploymentId);
      progress.deploymentId = deploymentId;
    },
  });
}

function releaseOptions(settings: RolloutSettings, progress: Progress, reason: string) {
  return { drain: true, stopTimeout: settings.timeouts.taskStopped, groups: progress.groups, reason };
}

async function releaseIfStarted(
  session: Session,
  settings: RolloutSettings,
  progress: Progress,
  reason: string,
): Promise<ReleaseOutcome | undefined> {
  if (progress.release) return progress.release;
  if (!progress.canary) return undefined;
  return releaseCanary(session, progress.canary, releaseOptions(settings, progress, reason));
}

/**
 * After a cancel, or a failure before the canary's ARN or the update's answer was known, read the world: stop this
 * run's canaries the command never heard of, and see whether the service took the update.
 */
async function readBack(
  session: Session,
  settings: RolloutSettings,
  progress: Progress,
  error: unknown,
): Promise<ReadBack> {
  const canceled = isCanceled(error);
  const read: ReadBack = { strays: [] };
  if (progress.launching && (canceled || !progress.canary)) {
    const known = progress.canary ? [progress.canary.taskArn] : [];
    const { found, problem } = await unknownTasksOfRun(session, settings, canaryGroup(settings.service), known);
    if (problem) read.problem = problem;
    for (const taskArn of found) {
      const stray = { cluster: settings.cluster, service: settings.service, taskArn, registrations: [] };
      const options = releaseOptions(settings, progress, "cage: run canceled");
      read.strays.push({ taskArn, outcome: await releaseCanary(session, { ...stray, stopRequested: false }, options) });
    }
  }
  if (progress.updating && progress.service.changed !== true && progress.taskDefinitionArn) {
    const inFlight = unsettledBy(error)?.operation === "ecs:UpdateService";
    progress.service.read(
      await readServiceBack(session, settings, progress.live, progress.taskDefinitionArn, !inFlight),
    );
    progress.deploymentId ??= progress.service.deploymentId;
  }
  return read;
}

function failureOf(error: unknown): DeployOutcome {
  if (error instanceof CageError)
    return { result: error.kind === "canceled" ? "canceled" : "failed", message: error.message };
  return { result: "failed", message: `Internal error: ${errorText(error)}; please report this.` };
}

function conclude(
  session: Session,
  settings: RolloutSettings,
  progress: Progress,
  outcome: DeployOutcome,
  released: ReleaseOutcome | undefined,
  read?: ReadBack,
  error?: unknown,
): CommandResult {
  let { result, message } = outcome;
  if (settings.rollbackTo) message = `Rollback to ${settings.rollbackTo}: ${message}`;
  const cleanup = session.naming.command("cleanup");
  if (released && progress.canary) {
    if (released.ok) {
      const what = progress.canary.registrations.length > 0 ? "deregistered and stopped" : "stopped";
      message += ` The canary ${progress.canary.taskArn} was ${what}.`;
    } else {
      if (result === "succeeded") result = "failed";
      message += ` But cleaning up the canary failed: ${released.problems.join("; ")}. It may still be running or registered: run ${cleanup} for this service.`;
    }
  }
  for (const stray of read?.strays ?? []) {
    message += stray.outcome.ok
      ? ` Read back: canary ${stray.taskArn} of this run, whose start was not confirmed, was stopped.`
      : ` Read back: canary ${stray.taskArn} of this run was found, but stopping it failed: ${stray.outcome.problems.join("; ")}. Run ${cleanup} for this service.`;
  }
  if (read?.problem) message += ` ${read.problem}: run ${cleanup} for this service.`;
  const later = mayShowLater(session, error, settings.runId);
  if (later && !read?.strays.length) message += ` ${later}`;
  if (outcome.evidence?.length) message += `\n${outcome.evidence.map((line) => `  - ${line}`).join("\n")}`;
  const deploymentId = outcome.deploymentId ?? progress.deploymentId;
  return concludeWith(session, settings, progress.service, {
    result,
    message,
    ...(progress.taskDefinitionArn ? { taskDefinitionArn: progress.taskDefinitionArn } : {}),
    ...(progress.canary ? { canaryTaskArn: progress.canary.taskArn } : {}),
    ...(deploymentId ? { deploymentId } : {}),
    ...(outcome.serviceDeploymentArn ? { serviceDeploymentArn: outcome.serviceDeploymentArn } : {}),
    ...(outcome.lifecycleStage ? { lifecycleStage: outcome.lifecycleStage } : {}),
    ...(outcome.hookId ? { hookId: outcome.hookId } : {}),
    ...(outcome.hookExpiresAt ? { hookExpiresAt: outcome.hookExpiresAt } : {}),
    ...(progress.serviceArn ? { serviceArn: progress.serviceArn } : {}),
    ...(outcome.evidence?.length ? { evidence: outcome.evidence } : {}),
    ...unsettledField(error),
  });
}
