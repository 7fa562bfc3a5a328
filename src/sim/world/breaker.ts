/** The deployment circuit breaker: fails a deployment whose tasks keep failing, and rolls back. */
import { alarmsFiring } from "./alarm-triggers.js";
import { createDeployment } from "./deployments.js";
import { runRollbackHooks } from "./hooks.js";
import { primaryOf, serviceEvent, tasksOf } from "./services.js";
import type { Deployment, Service, WorldState } from "./state.js";
import { pairsOf, shiftProduction, shiftTest } from "./traffic.js";

export function failureThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desired * 0.5)));
}

/**
 * Ends a failed deployment: with `rollback` and a completed deployment to return to, ECS deploys that one again
 * (its tasks are kept); otherwise the failed deployment is STOPPED.
 */
export function failDeployment(
  state: WorldState,
  svc: Service,
  failed: Deployment,
  now: number,
  why: { reason: string; rollback: boolean; rollbackReason: string },
): void {
  failed.rolloutState = "FAILED";
  failed.rolloutStateReason = why.reason;
  failed.updatedAt = now;
  const previous = svc.deployments.find((d) => d !== failed && d.rolloutState === "COMPLETED");
  if (!why.rollback || !previous) {
    failed.serviceDeploymentStatus = "STOPPED";
    failed.serviceDeploymentReason = why.reason;
    failed.finishedAt = now;
    failed.stoppedAt = now;
    return;
  }
  if (failed.lifecycleStage !== undefined) {
    // ECS runs the traffic shifts' hooks again as it rolls back; one that fails leaves the traffic where it is.
    const hookFailure = runRollbackHooks(state, failed, now);
    if (hookFailure) {
      rollbackFailed(state, svc, failed, previous, now, why.rollbackReason, hookFailure);
      return;
    }
    // A native deployment's rollback sends production and test traffic back to blue.
    shiftProduction(state, pairsOf(failed), 0);
    shiftTest(state, pairsOf(failed), 0);
    failed.trafficWeights = { production: 0, test: 0 };
  }
  failed.serviceDeploymentStatus = "ROLLBACK_IN_PROGRESS";
  failed.serviceDeploymentReason = why.reason;
  failed.rollback = {
    reason: why.rollbackReason,
    startedAt: now,
    serviceRevisionArn: previous.revisionArn,
  };
  // The service's loadBalancers go back to what was configured; the rollback's tasks serve where blue's did.
  const template = { ...previous, loadBalancers: previous.configuredLoadBalancers, desiredCount: failed.desiredCount };
  const rollback = createDeployment(state, svc, template, now);
  rollback.loadBalancers = previous.loadBalancers;
  rollback.rollbackOf = failed.id;
  rollback.revisionArn = previous.revisionArn;
  serviceEvent(state, svc, now, `rolling back to deployment ${previous.id}.`);
  for (const task of tasksOf(state, svc)) {
    if (task.deploymentId === previous.id && task.taskDefinitionArn === previous.taskDefinitionArn) {
      task.deploymentId = rollback.id;
    }
  }
}

/**
 * A rollback that could not finish: the failed deployment ends ROLLBACK_FAILED, and ECS launches nothing more for
 * it; whatever runs now keeps running, for someone to look at.
 */
export function rollbackFailed(
  state: WorldState,
  svc: Service,
  failed: Deployment,
  previous: Deployment,
  now: number,
  rollbackReason: string,
  why: string,
): void {
  failed.serviceDeploymentStatus = "ROLLBACK_FAILED";
  failed.serviceDeploymentReason = `Rollback failed: ${why}`;
  failed.rollback ??= { reason: rollbackReason, startedAt: now, serviceRevisionArn: previous.revisionArn };
  failed.finishedAt = now;
  failed.updatedAt = now;
  serviceEvent(state, svc, now, `(deployment ${failed.id}) rollback failed: ${why}`);
  state.agenda.changed();
}

export function tripCircuitBreaker(state: WorldState, svc: Service, now: number): void {
  const primary = primaryOf(svc);
  if (primary.rollbackOf) {
    giveUpRollback(state, svc, primary, now);
    return;
  }
  if (!svc.circuitBreaker.enable || primary.rolloutState !== "IN_PROGRESS") return;
  if (primary.failedTasks < failureThreshold(primary.desiredCount)) return;
  primary.breakerTripped = true;
  serviceEvent(state, svc, now, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);
  failDeployment(state, svc, primary, now, {
    reason: "ECS deployment circuit breaker: tasks failed to start.",
    rollback: svc.circuitBreaker.rollback,
    rollbackReason: "ECS deployment circuit breaker: rolling back to the last completed deployment.",
  });
}

/**
 * A rollback whose tasks keep failing to start (the old image gone, no capacity) fails at the breaker's threshold,
 * whether or not the breaker is enabled: ECS does not roll back a rollback.
 */
function giveUpRollback(state: WorldState, svc: Service, rollback: Deployment, now: number): void {
  if (rollback.rolloutState !== "IN_PROGRESS") return;
  if (rollback.failedTasks < failureThreshold(rollback.desiredCount)) return;
  const failed = svc.deployments.find((d) => d.id === rollback.rollbackOf);
  const why = `${rollback.failedTasks} tasks of service revision ${rollback.revisionArn} failed to start${rollback.lastFailureReason ? ` (${rollback.lastFailureReason})` : ""}.`;
  rollback.rolloutState = "FAILED";
  rollback.rolloutStateReason = `ECS deployment ${rollback.id} failed: tasks failed to start.`;
  rollback.updatedAt = now;
  if (failed) rollbackFailed(state, svc, failed, rollback, now, failed.rollback?.reason ?? "", why);
}

/** Deployment alarms: any named alarm in ALARM while the deployment is in progress fails it (and rolls back if asked). */
export function watchAlarms(state: WorldState, svc: Service, now: number): void {
  const primary = primaryOf(svc);
  const alarms = primary.configuration.alarms;
  if (!alarms?.enable || !alarms.alarmNames?.length) return;
  if (primary.serviceDeploymentStatus !== "IN_PROGRESS" || primary.rollbackOf) return;
  const firing = alarmsFiring(state, alarms.alarmNames);
  if (firing.length === 0) return;
  primary.triggeredAlarmNames = firing;
  serviceEvent(state, svc, now, `(deployment ${primary.id}) deployment failed: alarm detected.`);
  failDeployment(state, svc, primary, now, {
    reason: `ECS deployment failed: alarm(s) ${firing.join(", ")} in ALARM state.`,
    rollback: alarms.rollback ?? false,
    rollbackReason: `Alarm(s) ${firing.join(", ")} in ALARM state: rolling back to the last completed deployment.`,
  });
  state.agenda.changed();
}
