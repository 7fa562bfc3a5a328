/** Follows the deployment an update created (not "services stable") to COMPLETED, FAILED or a rollback. */
import type { Deployment, Service } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import type { Phase } from "./events.js";
import { callAws, type Poll, waitFor } from "./polling.js";
import { describeService } from "./preflight.js";
import { ChangeLog, type EventBody, type Session } from "./session.js";
import type { Target } from "./settings.js";
import { stopDescription } from "./task-state.js";
import { describeTasks } from "./task-watch.js";

export type DeploymentEnd =
  | { state: "COMPLETED"; service: Service }
  /** FAILED, or replaced: by ECS's circuit-breaker rollback or by someone else's update. */
  | { state: "FAILED" | "ROLLED_BACK" | "SUPERSEDED"; service: Service; reason: string; replacedBy?: Deployment };

export interface Watch {
  target: Target;
  deploymentId: string;
  phase: Phase;
  timeout: number;
  /** What the service ran before this deployment: a deployment that replaced it with that is a rollback. */
  previousTaskDefinition?: string;
}

/** Every 3 s at first, then sparser: the lag when it completes stays under ~7% of the time it took. */
export function deploymentPollMs(elapsed: number): number {
  return Math.min(15_000, Math.max(3_000, elapsed / 15));
}

export function judgeDeployment(
  service: Service,
  deploymentId: string,
  previousTaskDefinition?: string,
): DeploymentEnd | { state: "IN_PROGRESS"; deployment: Deployment } {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((d) => d.id === deploymentId);
  const primary = deployments.find((d) => d.status === "PRIMARY");
  if (ours?.rolloutState === "COMPLETED") return { state: "COMPLETED", service };
  if (ours?.rolloutState === "FAILED" || !ours) {
    const replaced = primary && primary.id !== deploymentId ? primary : undefined;
    // Seen late, a finished circuit-breaker rollback has dropped the failed deployment and its own reason says
    // only "completed": that it runs the previous revision is what shows it went back.
    const back = previousTaskDefinition !== undefined && replaced?.taskDefinition === previousTaskDefinition;
    const gone = !replaced
      ? "it disappeared"
      : `deployment ${replaced.id} ${back ? `took the service back to ${previousTaskDefinition}` : "replaced it"}`;
    const reason = ours?.rolloutStateReason !== undefined ? inert(ours.rolloutStateReason) : gone;
    if (replaced && (ours?.rolloutState === "FAILED" || back))
      return { state: "ROLLED_BACK", service, reason, replacedBy: replaced };
    if (replaced && /rollback|rolling back|circuit breaker/i.test(`${reason} ${replaced.rolloutStateReason ?? ""}`)) {
      return { state: "ROLLED_BACK", service, reason, replacedBy: replaced };
    }
    if (!ours) return { state: "SUPERSEDED", service, reason, ...(replaced ? { replacedBy: replaced } : {}) };
    return { state: "FAILED", service, reason };
  }
  // A deployment without rolloutState (old ECS behaviour): done when it is alone and at its desired count.
  if (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount) {
    return { state: "COMPLETED", service };
  }
  return { state: "IN_PROGRESS", deployment: ours };
}

/** A look at the service for the deployment followed: how it ended (or that the service is gone), or how far it got. */
export function assessDeployment(
  service: Service | undefined,
  watch: Pick<Watch, "deploymentId" | "previousTaskDefinition">,
): Poll<DeploymentEnd> {
  if (!service)
    return { done: true, value: { state: "SUPERSEDED", service: {}, reason: "the service no longer exists" } };
  const verdict = judgeDeployment(service, watch.deploymentId, watch.previousTaskDefinition);
  if (verdict.state !== "IN_PROGRESS") return { done: true, value: verdict };
  const d = verdict.deployment;
  return {
    done: false,
    seen: `${d.rolloutState ?? d.status}: ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, ${d.failedTasks ?? 0} failed`,
  };
}

/** The deployment's progress as an event, while the service still lists it. */
export function progressOf(service: Service | undefined, deploymentId: string): EventBody | undefined {
  const ours = service?.deployments?.find((d) => d.id === deploymentId);
  if (!ours) return undefined;
  return {
    type: "deployment",
    deploymentId,
    rolloutState: ours.rolloutState ?? ours.status ?? "UNKNOWN",
    runningCount: ours.runningCount ?? 0,
    desiredCount: ours.desiredCount ?? 0,
    ...(ours.failedTasks ? { failedTasks: ours.failedTasks } : {}),
    ...(ours.rolloutStateReason ? { reason: ours.rolloutStateReason } : {}),
  };
}

export async function watchDeployment(session: Session, watch: Watch): Promise<DeploymentEnd> {
  const changes = new ChangeLog(session);
  return waitFor(session, {
    phase: watch.phase,
    waitingFor: `deployment ${watch.deploymentId} to complete`,
    timeout: watch.timeout,
    setBy: "deployment",
    interval: deploymentPollMs,
    check: async () => {
      const service = await describeService(session, watch.phase, watch.target.cluster, watch.target.service);
      const progress = progressOf(service, watch.deploymentId);
      if (progress) changes.emit(watch.deploymentId, progress);
      return assessDeployment(service, watch);
    },
  });
}

/** The service's events since the update and the stop reasons of the new revision's failed tasks. */
export async function failureEvidence(
  session: Session,
  target: Target,
  service: Service,
  taskDefinitionArn: string,
  since: number,
): Promise<string[]> {
  const lines: string[] = [];
  const events = (service.events ?? []).filter((e) => (e.createdAt?.getTime() ?? 0) >= since).slice(0, 5);
  for (const event of events) lines.push(`service event: ${inert(event.message)}`);
  try {
    const listed = await callAws(session, "deployment", "ecs:ListTasks", (signal) =>
      session.aws.ecs.listTasks(
        { cluster: target.cluster, serviceName: target.service, desiredStatus: "STOPPED" },
        signal,
      ),
    );
    const tasks = await describeTasks(session, "deployment", target.cluster, (listed.taskArns ?? []).slice(0, 100));
    // Tasks still on their way down have no stoppedAt yet, but already their stop code and reason.
    const failed = tasks.filter(
      (t) => t.taskDefinitionArn === taskDefinitionArn && (t.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY) >= since,
    );
    for (const task of failed.slice(0, 5)) lines.push(`task ${inert(task.taskArn ?? "?")} ${stopDescription(task)}`);
  } catch {
    // Evidence is a courtesy: its absence must not hide the failure it explains.
  }
  return lines;
}
