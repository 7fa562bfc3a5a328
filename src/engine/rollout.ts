/**
 * `cage rollout`: preflight, task definition, ONE canary evaluated until it passes or definitely fails, then the
 * service update in parallel with the canary's drain, following that deployment. The canary is always cleaned up.
 */
import type { Canary } from "./canary.js";
import { evaluateCanary } from "./canary-evaluation.js";
import { familyOf } from "./canary-finder.js";
import { type ReleaseOutcome, releaseCanary } from "./canary-release.js";
import { startCanary } from "./canary-start.js";
import { yieldToEarlierCanary } from "./contention.js";
import { type DeployOutcome, updateAndFollow } from "./deployment.js";
import { CageError } from "./errors.js";
import type { Result } from "./events.js";
import { startedByFor } from "./labels.js";
import { prepareRollout } from "./rollout-prepare.js";
import { planUpdate } from "./service-update.js";
import { errorText, inPhase, openSession, type Session } from "./session.js";
import type { CommandResult, EngineDeps, RolloutSettings } from "./settings.js";
import type { TargetGroupInfo } from "./targets.js";
import { TaskWatch } from "./task-watch.js";

interface Progress {
  canary?: Canary;
  groups: ReadonlyMap<string, TargetGroupInfo>;
  taskDefinitionArn?: string;
  serviceArn?: string;
  serviceChanged: boolean;
  deploymentId?: string;
  release?: Promise<ReleaseOutcome>;
}

export async function rollout(settings: RolloutSettings, deps: EngineDeps): Promise<CommandResult> {
  const session = openSession(deps, settings.timeouts.overall);
  const progress: Progress = { groups: new Map(), serviceChanged: false };
  let outcome: DeployOutcome;
  try {
    outcome = await roll(session, settings, progress);
  } catch (error) {
    const released = await releaseIfStarted(session, settings, progress, "cage: canary failed or run canceled");
    return conclude(session, progress, failureOf(error, progress), released);
  }
  const released = await releaseIfStarted(session, settings, progress, "cage: canary passed");
  return conclude(session, progress, outcome, released);
}

async function roll(session: Session, settings: RolloutSettings, progress: Progress): Promise<DeployOutcome> {
  const prepared = await prepareRollout(session, settings);
  progress.groups = prepared.groups;
  progress.serviceArn = prepared.live.serviceArn;
  const td = prepared.taskDefinition;
  progress.taskDefinitionArn = td.arn;
  const plan = planUpdate(
    settings,
    td.arn,
    prepared.live,
    settings.updateService ? settings.context?.service : undefined,
  );
  for (const message of plan.notices) session.emit({ type: "notice", level: "warning", message });

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
    timeouts: settings.timeouts,
  });
  session.emit({
    type: "notice",
    level: "info",
    message: `Canary ${canary.taskArn} passed; updating the service while it drains.`,
  });
  // Deregistration starts now, so the canary stops taking traffic while the deployment runs.
  progress.release = releaseCanary(session, canary, releaseOptions(settings, progress, "cage: canary passed"));
  return updateAndFollow(session, {
    target: settings,
    taskDefinitionArn: td.arn,
    plan,
    previous: prepared.live,
    timeouts: settings.timeouts,
    onDeploymentFailure: settings.onDeploymentFailure,
    onServiceChanged: (deploymentId) => {
      progress.serviceChanged = true;
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

function failureOf(error: unknown, progress: Progress): DeployOutcome {
  if (error instanceof CageError) {
    const result: Result = error.kind === "canceled" ? "canceled" : "failed";
    const unchanged =
      !progress.serviceChanged && !/was not changed/.test(error.message) ? " The service was not changed." : "";
    const continuing =
      progress.serviceChanged && error.kind === "canceled"
        ? ` The service update was already sent: ECS goes on with deployment ${progress.deploymentId ?? ""}.`
        : "";
    return { result, message: `${error.message}${unchanged}${continuing}` };
  }
  return {
    result: "failed",
    message: `Internal error: ${errorText(error)}. ${progress.serviceChanged ? "The service may have been changed." : "The service was not changed."} Please report this.`,
  };
}

function conclude(
  session: Session,
  progress: Progress,
  outcome: DeployOutcome,
  released: ReleaseOutcome | undefined,
): CommandResult {
  let { result, message } = outcome;
  if (released && progress.canary) {
    if (released.ok) {
      const what = progress.canary.registrations.length > 0 ? "deregistered and stopped" : "stopped";
      message += ` The canary ${progress.canary.taskArn} was ${what}.`;
    } else {
      if (result === "succeeded") result = "failed";
      message += ` But cleaning up the canary failed: ${released.problems.join("; ")}. It may still be running or registered: run \`cage cleanup\` for this service.`;
    }
  }
  if (outcome.evidence?.length) message += `\n${outcome.evidence.map((line) => `  - ${line}`).join("\n")}`;
  session.emit({ type: "verdict", result, message, serviceChanged: progress.serviceChanged });
  return {
    result,
    message,
    serviceChanged: progress.serviceChanged,
    ...(progress.taskDefinitionArn ? { taskDefinitionArn: progress.taskDefinitionArn } : {}),
    ...(progress.canary ? { canaryTaskArn: progress.canary.taskArn } : {}),
    ...((outcome.deploymentId ?? progress.deploymentId)
      ? { deploymentId: outcome.deploymentId ?? progress.deploymentId }
      : {}),
    ...(progress.serviceArn ? { serviceArn: progress.serviceArn } : {}),
    ...(outcome.evidence?.length ? { evidence: outcome.evidence } : {}),
  };
}
