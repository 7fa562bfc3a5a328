/**
 * The load balancer's health checks over time. A check whose answer leaves a registration as it is (a healthy
 * target that keeps passing, an unhealthy one that keeps failing the same way) changes nothing, so such runs are
 * counted rather than made one by one, and the next event of a target group is the next check that can change
 * something: a year of a quiet world costs as much as a minute of it.
 */
import { statusAt } from "./lifecycle.js";
import { allowsFrom } from "./network.js";
import type { Registration, TargetGroup, Task, WorldState } from "./state.js";
import { deregistrationDelay, keyOf, taskOfTarget } from "./targets.js";

const S = 1000;

type Probe = { ok: true } | { ok: false; reason: string; description: string };

const TIMEOUT: Probe = { ok: false, reason: "Target.Timeout", description: "Request timed out" };

function probe(state: WorldState, tg: TargetGroup, reg: Registration, now: number): Probe {
  const port = tg.healthCheck.port === "traffic-port" ? reg.port : Number(tg.healthCheck.port);
  const task = taskOfTarget(state, tg, reg, now);
  if (!task || !["RUNNING", "ACTIVATING", "DEACTIVATING"].includes(statusAt(task, now))) return TIMEOUT;
  const container = containerServing(task, tg, port);
  if (!container || (container.exit && container.exit.at <= now)) return TIMEOUT;
  const lbs = tg.loadBalancerArns.map((arn) => state.loadBalancers.get(arn)).filter((lb) => lb !== undefined);
  const reachable = lbs.some((lb) => allowsFrom(state, task.securityGroups, lb, port));
  if (!reachable) return TIMEOUT;
  switch (container.behaviour.appHealthCheck) {
    case "pass":
      return { ok: true };
    // A TCP check passes once the port accepts a connection, whatever the app answers.
    case "mismatch":
      if (tg.healthCheck.protocol === "TCP") return { ok: true };
      return {
        ok: false,
        reason: "Target.ResponseCodeMismatch",
        description: "Health checks failed with these codes: [500]",
      };
    default:
      return TIMEOUT;
  }
}

function containerServing(task: Task, tg: TargetGroup, port: number) {
  return task.containers.find((c) =>
    c.portMappings.some((p) => (tg.targetType === "instance" ? p.hostPort : p.containerPort) === port),
  );
}

/** Whether a check with this answer would leave the registration as it is, counters aside. */
function isSteady(reg: Registration, result: Probe): boolean {
  return result.ok
    ? reg.state === "healthy" && reg.reason === undefined
    : reg.state === "unhealthy" && reg.reason === result.reason && reg.description === result.description;
}

/**
 * When the probe's answer may first differ from its answer at `at`: the target's task changes status or one of
 * its containers exits. Security groups and listeners change only through operations, which look again.
 */
function probeChangeAfter(state: WorldState, tg: TargetGroup, reg: Registration, at: number): number | undefined {
  const task = taskOfTarget(state, tg, reg, at);
  if (!task) return undefined;
  let next = task.phases.find((p) => p.at > at)?.at;
  for (const c of task.containers) {
    if (c.exit && c.exit.at > at && (next === undefined || c.exit.at < next)) next = c.exit.at;
  }
  return next;
}

/** Counts the run of steady checks from the next one up to `now` (before the probe can change); false if none. */
function skipSteadyChecks(state: WorldState, tg: TargetGroup, reg: Registration, now: number): boolean {
  const at = reg.nextCheckAt;
  const result = probe(state, tg, reg, at);
  if (!isSteady(reg, result)) return false;
  const interval = tg.healthCheck.intervalSeconds * S;
  const change = probeChangeAfter(state, tg, reg, at);
  const upToNow = Math.floor((now - at) / interval) + 1;
  const count = change === undefined ? upToNow : Math.min(upToNow, Math.ceil((change - at) / interval));
  reg.nextCheckAt = at + count * interval;
  if (result.ok) {
    reg.passes += count;
    reg.fails = 0;
  } else {
    reg.fails += count;
    reg.passes = 0;
  }
  return true;
}

/** Runs every health check and draining end due at `now`. */
export function stepTargetGroup(state: WorldState, tg: TargetGroup, now: number): void {
  const delay = deregistrationDelay(tg) * S;
  const drained = (r: Registration) => r.deregisteredAt !== undefined && r.deregisteredAt + delay <= now;
  if (tg.registrations.some(drained)) {
    for (const r of tg.registrations) if (drained(r)) tg.registrationIndex.delete(keyOf(r.id, r.port));
    tg.registrations = tg.registrations.filter((r) => !drained(r));
  }
  if (tg.loadBalancerArns.length === 0) return;
  for (const reg of tg.registrations) {
    while (reg.deregisteredAt === undefined && reg.nextCheckAt <= now) {
      if (!skipSteadyChecks(state, tg, reg, now)) check(state, tg, reg);
    }
  }
}

function check(state: WorldState, tg: TargetGroup, reg: Registration): void {
  const result = probe(state, tg, reg, reg.nextCheckAt);
  reg.nextCheckAt += tg.healthCheck.intervalSeconds * S;
  if (result.ok) {
    reg.passes += 1;
    reg.fails = 0;
    if (reg.passes >= tg.healthCheck.healthyThreshold || reg.state === "healthy") {
      Object.assign(reg, { state: "healthy", reason: undefined, description: undefined });
    } else if (reg.state === "initial") {
      Object.assign(reg, { reason: "Elb.InitialHealthChecking", description: "Initial health checks in progress" });
    }
  } else {
    reg.fails += 1;
    reg.passes = 0;
    if (reg.fails >= tg.healthCheck.unhealthyThreshold || reg.state === "unhealthy") {
      Object.assign(reg, { state: "unhealthy", reason: result.reason, description: result.description });
    } else if (reg.state === "initial") {
      Object.assign(reg, { reason: "Elb.InitialHealthChecking", description: "Initial health checks in progress" });
    }
  }
}

/** The registration's next check that can change it: the next one, or the first after its probe can change. */
function nextChangingCheck(state: WorldState, tg: TargetGroup, reg: Registration): number | undefined {
  const at = reg.nextCheckAt;
  if (!isSteady(reg, probe(state, tg, reg, at))) return at;
  const change = probeChangeAfter(state, tg, reg, at);
  if (change === undefined) return undefined;
  const interval = tg.healthCheck.intervalSeconds * S;
  return at + Math.ceil((change - at) / interval) * interval;
}

/** The target group's next drain end or health check that can change a registration. */
export function nextTargetEvent(state: WorldState, tg: TargetGroup): number | undefined {
  let next: number | undefined;
  const delay = deregistrationDelay(tg) * S;
  for (const r of tg.registrations) {
    const at =
      r.deregisteredAt !== undefined
        ? r.deregisteredAt + delay
        : tg.loadBalancerArns.length > 0
          ? nextChangingCheck(state, tg, r)
          : undefined;
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}
