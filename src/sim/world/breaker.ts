/** The deployment circuit breaker: fails a deployment whose tasks keep failing, and rolls back. */
import { createDeployment } from "./deployments.js";
import { primaryOf, serviceEvent, tasksOf } from "./services.js";
import type { Service, WorldState } from "./state.js";

export function failureThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desired * 0.5)));
}

export function tripCircuitBreaker(state: WorldState, svc: Service, now: number): void {
  const primary = primaryOf(svc);
  if (!svc.circuitBreaker.enable || primary.rolloutState !== "IN_PROGRESS") return;
  if (primary.failedTasks < failureThreshold(primary.desiredCount)) return;
  primary.rolloutState = "FAILED";
  primary.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
  primary.updatedAt = now;
  primary.breakerTripped = true;
  serviceEvent(state, svc, now, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);
  const previous = svc.deployments.find((d) => d !== primary && d.rolloutState === "COMPLETED");
  if (!svc.circuitBreaker.rollback || !previous) {
    primary.serviceDeploymentStatus = "STOPPED";
    primary.serviceDeploymentReason = "ECS deployment circuit breaker: tasks failed to start.";
    primary.finishedAt = now;
    primary.stoppedAt = now;
    return;
  }
  primary.serviceDeploymentStatus = "ROLLBACK_IN_PROGRESS";
  primary.serviceDeploymentReason = "ECS deployment circuit breaker: tasks failed to start.";
  primary.rollback = {
    reason: "ECS deployment circuit breaker: rolling back to the last completed deployment.",
    startedAt: now,
    serviceRevisionArn: previous.revisionArn,
  };
  const rollback = createDeployment(state, svc, { ...previous, desiredCount: primary.desiredCount }, now);
  rollback.rollbackOf = primary.id;
  rollback.revisionArn = previous.revisionArn;
  serviceEvent(state, svc, now, `rolling back to deployment ${previous.id}.`);
  for (const task of tasksOf(state, svc)) {
    if (task.deploymentId === previous.id && task.taskDefinitionArn === previous.taskDefinitionArn) {
      task.deploymentId = rollback.id;
    }
  }
}
