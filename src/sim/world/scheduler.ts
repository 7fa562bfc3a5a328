/**
 * The ECS service scheduler: keeps each service at its desired count, replaces tasks with rolling semantics,
 * registers service tasks with their target groups, replaces unhealthy tasks, and trips the circuit breaker.
 */

import { tripCircuitBreaker, watchAlarms } from "./breaker.js";
import { supersede } from "./deployments.js";
import { launch } from "./launch.js";
import { isStopRequested, requestStop, statusAt, taskHealthAt } from "./lifecycle.js";
import { holdsBlue, launchesGreen, nextNativeEvent, stepNative } from "./native.js";
import { healthyCountOf, isHealthy, loadBalancersOf } from "./scheduler-health.js";
import { primaryOf, serviceEvent, tasksOf } from "./services.js";
import type { Deployment, Service, Task, WorldState } from "./state.js";

import { deregister, deregistrationDelay, register, registrationOf } from "./targets.js";

const S = 1000;

/** Deregisters the task's targets and stops it once they have drained. */
export function stopServiceTask(
  state: WorldState,
  svc: Service,
  task: Task,
  now: number,
  reason: string,
  stopCode = "ServiceSchedulerInitiated",
): void {
  let drain = 0;
  let deregistered = 0;
  for (const t of svc.targets.get(task.arn) ?? []) {
    const tg = state.targetGroups.get(t.targetGroupArn);
    if (tg && deregister(tg, t, now)) {
      state.agenda.targetGroupChanged(tg);
      drain = Math.max(drain, deregistrationDelay(tg));
      deregistered += 1;
      serviceEvent(state, svc, now, `deregistered 1 targets in (target-group ${tg.arn})`);
    }
  }
  if (deregistered > 0) serviceEvent(state, svc, now, "has begun draining connections on 1 tasks.");
  requestStop(task, now, { stopCode, stoppedReason: reason, drainSeconds: drain });
  state.agenda.task(task, now);
}

function registerTargets(state: WorldState, svc: Service, task: Task, now: number): void {
  const loadBalancers = loadBalancersOf(svc, task);
  if (svc.targets.has(task.arn) || loadBalancers.length === 0) return;
  const status = statusAt(task, now);
  if (status !== "ACTIVATING" && status !== "RUNNING") return;
  const made: { targetGroupArn: string; id: string; port: number }[] = [];
  for (const lb of loadBalancers) {
    const tg = state.targetGroups.get(lb.targetGroupArn);
    const container = task.containers.find((c) => c.name === lb.containerName);
    const mapping = container?.portMappings.find((p) => p.containerPort === lb.containerPort);
    if (!tg || !mapping) continue;
    const target =
      tg.targetType === "ip"
        ? { id: task.eni?.ip ?? "", port: lb.containerPort }
        : { id: task.instanceId ?? "", port: mapping.hostPort };
    register(tg, { ...target, az: task.availabilityZone }, now);
    state.agenda.usesTargetGroup(svc.arn, tg.arn);
    state.agenda.targetGroupChanged(tg);
    made.push({ targetGroupArn: tg.arn, ...target });
    serviceEvent(state, svc, now, `registered 1 targets in (target-group ${tg.arn})`);
  }
  svc.targets.set(task.arn, made);
  state.agenda.changed();
}

function isFailure(task: Task): boolean {
  const code = task.stop?.stopCode;
  if (code === "UserInitiated") return false;
  return code !== "ServiceSchedulerInitiated" || task.stop!.stoppedReason.startsWith("Task failed");
}

function account(state: WorldState, svc: Service, task: Task, now: number): void {
  task.accounted = true;
  state.agenda.changed();
  for (const t of svc.targets.get(task.arn) ?? []) {
    const tg = state.targetGroups.get(t.targetGroupArn);
    if (tg && deregister(tg, t, now)) state.agenda.targetGroupChanged(tg);
  }
  if (!isFailure(task)) return;
  const deployment = svc.deployments.find((d) => d.id === task.deploymentId);
  if (!deployment) return;
  // ECS's service throttle: tasks that never reach RUNNING space out the next launches, whatever the rollout state.
  if (task.runningAt === undefined) deployment.launchFailures += 1;
  if (deployment.rolloutState !== "IN_PROGRESS") return;
  deployment.failedTasks += 1;
  deployment.lastFailureAt = now;
  deployment.lastFailureReason = task.stop?.stoppedReason;
  deployment.updatedAt = now;
  if (deployment.failedTasks >= 3 && !deployment.warnedUnableToStart) {
    deployment.warnedUnableToStart = true;
    serviceEvent(
      state,
      svc,
      now,
      "is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
    );
  }
}

function replaceUnhealthy(state: WorldState, svc: Service, task: Task, now: number): void {
  if (statusAt(task, now) !== "RUNNING" || task.runningAt === undefined) return;
  if (now < task.runningAt + svc.healthCheckGracePeriodSeconds * S) return;
  if (taskHealthAt(task, now) === "UNHEALTHY") {
    serviceEvent(state, svc, now, `(task ${task.id}) failed container health checks.`);
    stopServiceTask(state, svc, task, now, "Task failed container health checks");
    return;
  }
  for (const t of svc.targets.get(task.arn) ?? []) {
    const tg = state.targetGroups.get(t.targetGroupArn);
    const reg = tg && registrationOf(tg, t.id, t.port);
    if (tg && reg?.state === "unhealthy" && reg.deregisteredAt === undefined) {
      serviceEvent(
        state,
        svc,
        now,
        `(port ${t.port}) is unhealthy in (target-group ${tg.arn}) due to (reason ${reg.description}).`,
      );
      serviceEvent(state, svc, now, `(task ${task.id}) failed ELB health checks in (target-group ${tg.arn})`);
      stopServiceTask(state, svc, task, now, `Task failed ELB health checks in (target-group ${tg.arn})`);
      return;
    }
  }
}

/** One pass of the scheduler for one service at `now`. */
export function reconcile(state: WorldState, svc: Service, now: number): void {
  if (svc.status === "INACTIVE") return;
  for (const task of tasksOf(state, svc)) {
    if (isStopRequested(task, now)) {
      if (!task.accounted) account(state, svc, task, now);
      continue;
    }
    registerTargets(state, svc, task, now);
    replaceUnhealthy(state, svc, task, now);
  }
  tripCircuitBreaker(state, svc, now);
  watchAlarms(state, svc, now);
  stepNative(state, svc, primaryOf(svc), now);
  roll(state, svc, now);
  retireDrained(state, svc, now);
  complete(state, svc, now);
  if (svc.status === "DRAINING" && tasksOf(state, svc).every((t) => statusAt(t, now) === "STOPPED")) {
    svc.status = "INACTIVE";
    state.agenda.changed();
  }
}

function roll(state: WorldState, svc: Service, now: number): void {
  const primary = primaryOf(svc);
  const active = tasksOf(state, svc).filter((t) => !isStopRequested(t, now));
  const desired = primary.desiredCount;
  const native = holdsBlue(primary);
  const maxTotal = native
    ? Number.POSITIVE_INFINITY
    : Math.max(desired, Math.floor((desired * svc.maximumPercent) / 100));
  const minHealthy = Math.ceil((desired * svc.minimumHealthyPercent) / 100);
  const ours = active.filter((t) => t.deploymentId === primary.id);
  const healthyFirst = (a: Task, b: Task) =>
    Number(isHealthy(state, svc, a, now)) - Number(isHealthy(state, svc, b, now));
  const surplus = ours.length > desired ? ours.sort(healthyFirst).slice(0, ours.length - desired) : [];
  for (const extra of surplus) {
    stopServiceTask(state, svc, extra, now, `Scaling activity initiated by (deployment ${primary.id})`);
    serviceEvent(state, svc, now, `has stopped 1 running tasks: (task ${extra.id}).`);
  }
  const room = Math.min(desired - ours.length, maxTotal - active.length);
  const waiting = svc.launchAfter !== undefined && now < svc.launchAfter;
  // A deployment the circuit breaker failed (without rollback) launches nothing more.
  const launching = !waiting && primary.rolloutState !== "FAILED" && launchesGreen(primary);
  if (room > 0 && launching) startTasks(state, svc, primary, room, now);
  const others = active.filter((t) => t.deploymentId !== primary.id);
  if (others.length === 0 || native) return;
  let healthy = active.filter((t) => isHealthy(state, svc, t, now)).length;
  for (const old of others.sort(healthyFirst)) {
    const oldHealthy = isHealthy(state, svc, old, now);
    if (oldHealthy && healthy - 1 < minHealthy) continue;
    if (oldHealthy) healthy -= 1;
    stopServiceTask(state, svc, old, now, `Scaling activity initiated by (deployment ${primary.id})`);
    serviceEvent(state, svc, now, `has stopped 1 running tasks: (task ${old.id}).`);
  }
}

function startTasks(state: WorldState, svc: Service, d: Deployment, count: number, now: number): void {
  const taskDefinition = state.taskDefinitions.get(d.taskDefinitionArn)!;
  const { tasks, failures } = launch(
    state,
    {
      clusterName: svc.clusterName,
      taskDefinition,
      launchType: d.launchType,
      platformVersion: d.platformVersion,
      subnets: d.subnets,
      securityGroups: d.securityGroups,
      group: `service:${svc.name}`,
      startedBy: d.id,
      tags: [],
      overrides: { containerOverrides: [] },
      serviceName: svc.arn,
      deploymentId: d.id,
    },
    count,
    now,
  );
  if (tasks.length > 0) {
    serviceEvent(
      state,
      svc,
      now,
      `has started ${tasks.length} tasks: ${tasks.map((t) => `(task ${t.id})`).join(" ")}.`,
    );
  }
  if (failures.length > 0) {
    const reason = failures[0]?.reason ?? "RESOURCE";
    serviceEvent(
      state,
      svc,
      now,
      `was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${failures[0]?.arn}) has insufficient ${reason === "RESOURCE:CPU" ? "CPU" : "memory"} available.`,
    );
    svc.launchAfter = now + 60 * S;
  } else if (d.lastFailureAt !== undefined || d.launchFailures > 0) {
    const backOff = d.lastFailureAt === undefined ? 0 : Math.min(300, 10 * d.failedTasks);
    svc.launchAfter = now + Math.max(backOff, throttleSeconds(d)) * S;
  }
}

/** ECS's throttle grows with each task that failed to start, up to 27 minutes between launches. */
function throttleSeconds(d: Deployment): number {
  return Math.min(27 * 60, 10 * d.launchFailures);
}

function retireDrained(state: WorldState, svc: Service, now: number): void {
  const live = new Set(
    tasksOf(state, svc)
      .filter((t) => statusAt(t, now) !== "STOPPED")
      .map((t) => t.deploymentId),
  );
  for (const d of svc.deployments) {
    if (d.status !== "ACTIVE" || live.has(d.id)) continue;
    state.agenda.changed();
    d.status = "INACTIVE";
    d.updatedAt = now;
    supersede(d, now);
  }
}

function complete(state: WorldState, svc: Service, now: number): void {
  const primary = primaryOf(svc);
  if (primary.rolloutState !== "IN_PROGRESS") return;
  if (svc.deployments.some((d) => d.status === "ACTIVE") || holdsBlue(primary)) return;
  const ours = tasksOf(state, svc).filter((t) => t.deploymentId === primary.id && !isStopRequested(t, now));
  if (ours.length !== primary.desiredCount || healthyCountOf(state, svc, primary, now) < primary.desiredCount) return;
  primary.rolloutState = "COMPLETED";
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  primary.updatedAt = now;
  primary.finishedAt = now;
  const failed = primary.rollbackOf ? svc.deployments.find((d) => d.id === primary.rollbackOf) : undefined;
  if (failed) {
    failed.serviceDeploymentStatus = "ROLLBACK_SUCCESSFUL";
    failed.finishedAt = now;
  } else {
    primary.serviceDeploymentStatus = "SUCCESSFUL";
  }
  serviceEvent(state, svc, now, `(deployment ${primary.id}) deployment completed.`);
  serviceEvent(state, svc, now, "has reached a steady state.");
}

/**
 * When the scheduler must look at the service again although nothing changes by itself then: the end of its
 * launch back-off, or of a running task's health-check grace period.
 */
export function wakeOf(state: WorldState, svc: Service, now: number): number | undefined {
  let wake = nextSchedulerEvent(svc, now);
  const grace = svc.healthCheckGracePeriodSeconds * S;
  for (const task of tasksOf(state, svc)) {
    if (task.runningAt === undefined || isStopRequested(task, now)) continue;
    const end = task.runningAt + grace;
    if (end > now && (wake === undefined || end < wake)) wake = end;
  }
  return wake;
}

export function nextSchedulerEvent(svc: Service, now: number): number | undefined {
  const launch = svc.launchAfter !== undefined && svc.launchAfter > now ? svc.launchAfter : undefined;
  const stage = nextNativeEvent(svc, now);
  if (launch === undefined) return stage;
  return stage === undefined ? launch : Math.min(launch, stage);
}
