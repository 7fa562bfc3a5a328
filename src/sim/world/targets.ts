/** Target groups: registrations, draining, and the health ELBv2 reports (health-checks.ts runs the checks). */
import type { TargetHealthDescription, TargetHealthReasonEnum } from "@aws-sdk/client-elastic-load-balancing-v2";
import { statusAt } from "./lifecycle.js";
import type { Registration, TargetGroup, WorldState } from "./state.js";

const S = 1000;

export function deregistrationDelay(tg: TargetGroup): number {
  return Number(tg.attributes.get("deregistration_delay.timeout_seconds") ?? "300");
}

export const keyOf = (id: string, port: number) => `${id}:${port}`;

export function registrationOf(tg: TargetGroup, id: string, port: number): Registration | undefined {
  return tg.registrationIndex.get(keyOf(id, port));
}

export function register(tg: TargetGroup, target: { id: string; port: number; az?: string }, now: number): void {
  const existing = registrationOf(tg, target.id, target.port);
  if (existing && existing.deregisteredAt === undefined) return;
  if (existing) tg.registrations.splice(tg.registrations.indexOf(existing), 1);
  const reg: Registration = {
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
  };
  tg.registrations.push(reg);
  tg.registrationIndex.set(keyOf(reg.id, reg.port), reg);
}

export function deregister(tg: TargetGroup, target: { id: string; port: number }, now: number): boolean {
  const reg = registrationOf(tg, target.id, target.port);
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

export function healthOf(tg: TargetGroup, target: { id: string; port?: number }): TargetHealthDescription {
  const port = target.port ?? tg.port;
  const reg = registrationOf(tg, target.id, port);
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
