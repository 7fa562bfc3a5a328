/** Target groups: registrations, the load balancer's health checks over time, and draining. */
import type { TargetHealthDescription, TargetHealthReasonEnum } from "@aws-sdk/client-elastic-load-balancing-v2";
import { statusAt } from "./lifecycle.js";
import { allowsFrom } from "./network.js";
import type { Registration, TargetGroup, Task, WorldState } from "./state.js";

const S = 1000;

export function deregistrationDelay(tg: TargetGroup): number {
  return Number(tg.attributes.get("deregistration_delay.timeout_seconds") ?? "300");
}

export function register(tg: TargetGroup, target: { id: string; port: number; az?: string }, now: number): void {
  const existing = tg.registrations.find((r) => r.id === target.id && r.port === target.port);
  if (existing && existing.deregisteredAt === undefined) return;
  if (existing) tg.registrations.splice(tg.registrations.indexOf(existing), 1);
  tg.registrations.push({
    id: target.id,
    port: target.port,
    availabilityZone: target.az,
    registeredAt: now,
    state: "initial",
    reason: "Elb.RegistrationInProgress",
    description: "Target registration is in progress",
    passes: 0,
    fails: 0,
    nextCheckAt: now + tg.healthCheck.intervalSeconds * S,
  });
}

export function deregister(tg: TargetGroup, target: { id: string; port: number }, now: number): boolean {
  const reg = tg.registrations.find((r) => r.id === target.id && r.port === target.port);
  if (!reg || reg.deregisteredAt !== undefined) return false;
  reg.deregisteredAt = now;
  return true;
}

/** The task a target points at: by ENI address for ip targets, by instance and host port for instance targets. */
export function taskOfTarget(state: WorldState, tg: TargetGroup, reg: { id: string; port: number }, now: number) {
  if (tg.targetType === "ip") {
    const task = state.tasksByIp.get(reg.id);
    return task && statusAt(task, now) !== "STOPPED" ? task : undefined;
  }
  for (const instance of state.containerInstances.values()) {
    if (instance.instanceId !== reg.id) continue;
    for (const task of state.tasksByInstance.get(instance.arn) ?? []) {
      if (statusAt(task, now) === "STOPPED") continue;
      if (task.containers.some((c) => c.portMappings.some((p) => p.hostPort === reg.port))) return task;
    }
  }
  return undefined;
}

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
    case "mismatch":
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

/** Runs every health check and draining end due at `now`. */
export function stepTargetGroup(state: WorldState, tg: TargetGroup, now: number): void {
  const delay = deregistrationDelay(tg) * S;
  tg.registrations = tg.registrations.filter((r) => r.deregisteredAt === undefined || r.deregisteredAt + delay > now);
  if (tg.loadBalancerArns.length === 0) return;
  for (const reg of tg.registrations) {
    while (reg.deregisteredAt === undefined && reg.nextCheckAt <= now) check(state, tg, reg);
  }
}

function check(state: WorldState, tg: TargetGroup, reg: Registration): void {
  {
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
}

export function nextTargetEvent(tg: TargetGroup): number | undefined {
  let next: number | undefined;
  const delay = deregistrationDelay(tg) * S;
  for (const r of tg.registrations) {
    const at =
      r.deregisteredAt !== undefined
        ? r.deregisteredAt + delay
        : tg.loadBalancerArns.length > 0
          ? r.nextCheckAt
          : undefined;
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

export function healthOf(tg: TargetGroup, target: { id: string; port?: number }): TargetHealthDescription {
  const port = target.port ?? tg.port;
  const reg = tg.registrations.find((r) => r.id === target.id && r.port === port);
  const described = { Target: { Id: target.id, Port: port }, HealthCheckPort: healthCheckPortOf(tg, port) };
  if (!reg) {
    return {
      ...described,
      TargetHealth: {
        State: "unused",
        Reason: "Target.NotRegistered",
        Description: "Target is not registered to the target group",
      },
    };
  }
  const withAz = { ...described, Target: { ...described.Target, AvailabilityZone: reg.availabilityZone } };
  if (reg.deregisteredAt !== undefined) {
    return {
      ...withAz,
      TargetHealth: {
        State: "draining",
        Reason: "Target.DeregistrationInProgress",
        Description: "Target deregistration is in progress",
      },
    };
  }
  if (tg.loadBalancerArns.length === 0) {
    return {
      ...withAz,
      TargetHealth: {
        State: "unused",
        Reason: "Target.NotInUse",
        Description: "Target group is not configured to receive traffic from the load balancer",
      },
    };
  }
  return {
    ...withAz,
    TargetHealth: {
      State: reg.state,
      Reason: reg.reason as TargetHealthReasonEnum | undefined,
      Description: reg.description,
    },
  };
}

function healthCheckPortOf(tg: TargetGroup, port: number): string {
  return tg.healthCheck.port === "traffic-port" ? String(port) : tg.healthCheck.port;
}
