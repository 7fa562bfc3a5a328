/** Where the canary goes in each target group, how long a target group may take to judge it, and its verdicts. Pure. */
import type { ContainerDefinition, LoadBalancer, Task } from "@aws-sdk/client-ecs";
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import type { Poll } from "./polling.js";
import { eniOf, hostPortOf } from "./task-state.js";

export interface TargetGroupInfo {
  arn: string;
  name: string;
  targetType: string;
  intervalMs: number;
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  deregistrationDelayMs: number;
}

export interface PlannedTarget {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  id: string;
  port: number;
  availabilityZone?: string;
}

/** The entries of `loadBalancers` the canary can be registered through (Classic Load Balancers have no target group). */
export function targetGroupEntries(
  loadBalancers: readonly LoadBalancer[] | undefined,
): Required<Pick<LoadBalancer, "targetGroupArn" | "containerName" | "containerPort">>[] {
  const entries = [];
  for (const lb of loadBalancers ?? []) {
    if (lb.targetGroupArn && lb.containerName && lb.containerPort !== undefined) {
      entries.push({
        targetGroupArn: lb.targetGroupArn,
        containerName: lb.containerName,
        containerPort: lb.containerPort,
      });
    }
  }
  return entries;
}

/** Each load balancer entry must name a container and port the task definition exposes. */
export function portMismatches(
  loadBalancers: readonly LoadBalancer[] | undefined,
  containers: readonly ContainerDefinition[],
): string[] {
  const problems: string[] = [];
  for (const lb of targetGroupEntries(loadBalancers)) {
    const container = containers.find((c) => c.name === lb.containerName);
    if (!container) {
      problems.push(
        `the load balancer entry for ${lb.targetGroupArn} names container "${lb.containerName}", which the task definition does not have`,
      );
    } else if (!container.portMappings?.some((m) => m.containerPort === lb.containerPort)) {
      problems.push(
        `container "${lb.containerName}" has no port mapping for containerPort ${lb.containerPort}, which the load balancer entry for ${lb.targetGroupArn} uses`,
      );
    }
  }
  return problems;
}

export interface Placement {
  /** The EC2 instance a bridge/host task runs on. */
  ec2InstanceId?: string;
  /** The AZ of the task's subnet (awsvpc). */
  availabilityZone?: string;
}

/**
 * The target for each target group: the ENI IP and container port for awsvpc tasks; the instance id and the host
 * port Docker bound (dynamic ports included) for bridge/host tasks.
 */
export function plannedTargets(
  task: Task,
  loadBalancers: readonly LoadBalancer[] | undefined,
  groups: ReadonlyMap<string, TargetGroupInfo>,
  placement: Placement,
): PlannedTarget[] {
  const { ip } = eniOf(task);
  return targetGroupEntries(loadBalancers).map((lb) => {
    const group = groups.get(lb.targetGroupArn);
    const base = {
      targetGroupArn: lb.targetGroupArn,
      containerName: lb.containerName,
      containerPort: lb.containerPort,
    };
    if (group?.targetType === "ip" || (!group && ip)) {
      if (!ip) {
        throw new CageError(
          "canary-failed",
          "target-registration",
          `Target group ${lb.targetGroupArn} takes IP targets, but the canary task has no network interface address.`,
          "IP target groups need the awsvpc network mode: set networkMode to awsvpc in the task definition.",
        );
      }
      return {
        ...base,
        id: ip,
        port: lb.containerPort,
        ...(placement.availabilityZone ? { availabilityZone: placement.availabilityZone } : {}),
      };
    }
    if (group && group.targetType !== "instance") {
      throw new CageError(
        "refused",
        "target-registration",
        `Target group ${lb.targetGroupArn} has target type '${group.targetType}'; a canary task can only be registered to 'ip' or 'instance' target groups.`,
      );
    }
    const port = hostPortOf(task, lb.containerName, lb.containerPort);
    if (!placement.ec2InstanceId || port === undefined) {
      throw new CageError(
        "canary-failed",
        "target-registration",
        `The canary task has no host port bound for container "${lb.containerName}" port ${lb.containerPort}${placement.ec2InstanceId ? "" : " and no EC2 instance"}, so it cannot be registered to ${lb.targetGroupArn}.`,
        "Check that the container's portMappings include that containerPort.",
      );
    }
    return { ...base, id: placement.ec2InstanceId, port };
  });
}

/** Registration, then `healthyThreshold` passing checks, then a check's timeout, then a margin for the load balancer. */
const REGISTRATION_MARGIN_MS = 60_000;

/** How long a target may stay `initial` before the target group's own settings say it will not become healthy. */
export function initialDeadlineMs(group: TargetGroupInfo): number {
  return (group.healthyThreshold + 1) * group.intervalMs + group.timeoutMs + REGISTRATION_MARGIN_MS;
}

/** Checks run every interval from registration; look just after each one. */
export function nextTargetLookMs(group: TargetGroupInfo, sinceRegistration: number): number {
  const offset = 500;
  const k = Math.max(1, Math.floor((sinceRegistration - offset) / group.intervalMs) + 1);
  return Math.max(500, k * group.intervalMs + offset - sinceRegistration);
}

export type TargetVerdict =
  | { kind: "healthy" }
  | { kind: "waiting"; state: "initial" | "unused" }
  | { kind: "failed"; message: string };

/** A target ELB has not registered yet is given this long after RegisterTargets. */
const NOT_REGISTERED_GRACE_MS = 30_000;

/**
 * One look at a target: `unhealthy` fails at once; `initial` is bounded by the group's deadline, a target not
 * registered yet by a grace. A failure states its comparison: `stayed 'initial' for 2m05s > limit 1m45s`.
 */
export function judgeTarget(
  description: TargetHealthDescription | undefined,
  group: TargetGroupInfo | undefined,
  sinceRegistration: number,
): TargetVerdict {
  const health = description?.TargetHealth;
  const state = inert(health?.State ?? "unused");
  const reason = health?.Reason
    ? ` (${inert(health.Reason)}${health.Description ? `: ${inert(health.Description)}` : ""})`
    : "";
  // Rounded up: what stayed past a whole-second limit reads as more than it.
  const waited = `${Math.ceil(sinceRegistration / 1000)}s`;
  switch (state) {
    case "healthy":
      return { kind: "healthy" };
    case "initial": {
      const limit = group ? initialDeadlineMs(group) : Number.POSITIVE_INFINITY;
      if (sinceRegistration <= limit) return { kind: "waiting", state: "initial" };
      return {
        kind: "failed",
        message: `stayed 'initial'${reason} for ${waited} > limit ${limit / 1000}s, what its target group's health checks need`,
      };
    }
    case "unused":
      if (health?.Reason === "Target.NotRegistered") {
        if (sinceRegistration < NOT_REGISTERED_GRACE_MS) return { kind: "waiting", state: "unused" };
        return {
          kind: "failed",
          message: `is 'unused'${reason} ${waited} after registration ≥ ${NOT_REGISTERED_GRACE_MS / 1000}s`,
        };
      }
      return { kind: "failed", message: `is 'unused'${reason}` };
    default:
      return { kind: "failed", message: `is '${state}'${reason}` };
  }
}

/** How often targets are looked at when their target group's schedule is not known. */
export const TARGET_POLL_MS = 5_000;

/** One look at a target: what DescribeTargetHealth said of it (undefined when it said nothing). */
export interface TargetLook {
  target: PlannedTarget;
  description: TargetHealthDescription | undefined;
}

export interface TargetsAssessment {
  verdicts: { target: PlannedTarget; verdict: TargetVerdict }[];
  /** Done when every target is healthy; the first failure; or what is seen and when to look next. */
  poll: Poll<void>;
}

/** The verdict on one look at the canary's targets, `elapsed` ms after they were registered. */
export function assessTargets(
  looks: readonly TargetLook[],
  groups: ReadonlyMap<string, TargetGroupInfo>,
  elapsed: number,
): TargetsAssessment {
  const verdicts = looks.map(({ target, description }) => ({
    target,
    verdict: judgeTarget(description, groups.get(target.targetGroupArn), elapsed),
  }));
  const failed = verdicts.flatMap(({ target, verdict }) => (verdict.kind === "failed" ? [{ target, verdict }] : []))[0];
  if (failed) {
    const { target, verdict } = failed;
    const group = groups.get(target.targetGroupArn);
    const error = new CageError(
      "canary-failed",
      "target-health",
      `Canary target ${target.id}:${target.port} in target group ${group?.name ?? target.targetGroupArn} ${verdict.message}.`,
      `Check that container "${target.containerName}" answers the target group's health check on port ${target.containerPort}, and that the security groups let the load balancer reach it.`,
    );
    return { verdicts, poll: { done: false, failed: error } };
  }
  const waiting = verdicts.flatMap(({ target, verdict }) => (verdict.kind === "waiting" ? [{ target, verdict }] : []));
  if (waiting.length === 0) return { verdicts, poll: { done: true, value: undefined } };
  const next = Math.min(
    ...waiting.map(({ target }) => {
      const group = groups.get(target.targetGroupArn);
      return group ? nextTargetLookMs(group, elapsed) : TARGET_POLL_MS;
    }),
  );
  // The states alone: a reason that changes while the state does not is no news (and lets heartbeats through).
  const seen = waiting.map(({ target, verdict }) => `${target.id}:${target.port} ${verdict.state}`).join(", ");
  return { verdicts, poll: { done: false, seen, next } };
}
