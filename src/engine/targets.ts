/** Where the canary goes in each target group, and how long a target group may take to judge it. Pure. */
import type { ContainerDefinition, LoadBalancer, Task } from "@aws-sdk/client-ecs";
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
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
  | { kind: "waiting"; seen: string }
  | { kind: "failed"; message: string };

/** One look at a target: `unhealthy` fails at once; `initial` is bounded by the group's deadline. */
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
  switch (state) {
    case "healthy":
      return { kind: "healthy" };
    case "initial": {
      const limit = group ? initialDeadlineMs(group) : Number.POSITIVE_INFINITY;
      if (sinceRegistration <= limit) return { kind: "waiting", seen: `initial${reason}` };
      return {
        kind: "failed",
        message: `stayed 'initial'${reason} longer than its target group's health check needs (${limit / 1000}s)`,
      };
    }
    case "unused":
      if (health?.Reason === "Target.NotRegistered" && sinceRegistration < 30_000) {
        return { kind: "waiting", seen: `unused${reason}` };
      }
      return { kind: "failed", message: `is 'unused'${reason}` };
    default:
      return { kind: "failed", message: `is '${state}'${reason}` };
  }
}
