/**
 * The canary in the service's target groups: their health check settings and deregistration delay, the canary's
 * registration to every one of them, and the wait for each target to turn healthy.
 */
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { assertAlive, type Evaluation, stoppedError } from "./canary.js";
import { ec2InstanceOf } from "./container-instance.js";
import { CageError, isAwsError } from "./errors.js";
import type { Phase } from "./events.js";
import { callAws, waitFor } from "./polling.js";
import type { Session } from "./session.js";
import { judgeTarget, nextTargetLookMs, type PlannedTarget, plannedTargets, type TargetGroupInfo } from "./targets.js";
import { eniOf } from "./task-state.js";

const DEFAULT_DEREGISTRATION_DELAY_S = 300;

export async function readTargetGroups(
  session: Session,
  phase: Phase,
  arns: readonly string[],
): Promise<Map<string, TargetGroupInfo>> {
  const groups = new Map<string, TargetGroupInfo>();
  const unique = [...new Set(arns)];
  if (unique.length === 0) return groups;
  const out = await callAws(session, phase, "elasticloadbalancing:DescribeTargetGroups", (signal) =>
    session.aws.elbv2.describeTargetGroups({ TargetGroupArns: unique }, signal),
  ).catch((error: unknown) => {
    if (isAwsError(error, "TargetGroupNotFound")) {
      throw new CageError(
        "refused",
        phase,
        `A target group of the service does not exist: ${error.what}`,
        "Fix the service's loadBalancers (or service.json with update-service) to name existing target groups.",
      );
    }
    throw error;
  });
  for (const group of out.TargetGroups ?? []) {
    if (!group.TargetGroupArn) continue;
    const attributes = await callAws(session, phase, "elasticloadbalancing:DescribeTargetGroupAttributes", (signal) =>
      session.aws.elbv2.describeTargetGroupAttributes({ TargetGroupArn: group.TargetGroupArn }, signal),
    );
    const delay = attributes.Attributes?.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
    groups.set(group.TargetGroupArn, {
      arn: group.TargetGroupArn,
      name: group.TargetGroupName ?? group.TargetGroupArn,
      targetType: group.TargetType ?? "instance",
      intervalMs: (group.HealthCheckIntervalSeconds ?? 30) * 1000,
      timeoutMs: (group.HealthCheckTimeoutSeconds ?? 5) * 1000,
      healthyThreshold: group.HealthyThresholdCount ?? 5,
      unhealthyThreshold: group.UnhealthyThresholdCount ?? 2,
      deregistrationDelayMs: Number(delay ?? DEFAULT_DEREGISTRATION_DELAY_S) * 1000,
    });
  }
  const missing = unique.filter((arn) => !groups.has(arn));
  if (missing.length > 0) {
    throw new CageError(
      "refused",
      phase,
      `Target group(s) ${missing.join(", ")} named by the service were not found.`,
      "Fix the service's loadBalancers to name existing target groups.",
    );
  }
  return groups;
}

export async function registerCanary(session: Session, evaluation: Evaluation): Promise<PlannedTarget[]> {
  const { canary, watch } = evaluation;
  const task = watch.task ?? (await watch.refresh("target-registration"));
  if (!task) throw new CageError("canary-failed", "target-registration", "The canary task is not visible in ECS.");
  const { ip, subnetId } = eniOf(task);
  let availabilityZone: string | undefined;
  if (ip && subnetId) {
    const subnets = await callAws(session, "target-registration", "ec2:DescribeSubnets", (signal) =>
      session.aws.ec2.describeSubnets({ SubnetIds: [subnetId] }, signal),
    );
    availabilityZone = subnets.Subnets?.[0]?.AvailabilityZone ?? task.availabilityZone;
  }
  const ec2InstanceId =
    !ip && task.containerInstanceArn
      ? await ec2InstanceOf(session, canary.cluster, task.containerInstanceArn)
      : undefined;
  const targets = plannedTargets(task, evaluation.loadBalancers, evaluation.groups, {
    ...(ec2InstanceId ? { ec2InstanceId } : {}),
    ...(availabilityZone ? { availabilityZone } : {}),
  });
  for (const target of targets) {
    // Recorded before the call: deregistering a target that never got registered is harmless; the reverse is not.
    canary.registrations.push({
      targetGroupArn: target.targetGroupArn,
      id: target.id,
      port: target.port,
      ...(target.availabilityZone ? { availabilityZone: target.availabilityZone } : {}),
    });
    session.emit({
      type: "resource",
      kind: "target-registration",
      id: `${target.targetGroupArn}|${target.id}:${target.port}`,
      detail: {
        targetGroupArn: target.targetGroupArn,
        targetId: target.id,
        port: target.port,
        taskArn: canary.taskArn,
      },
    });
    await callAws(
      session,
      "target-registration",
      "elasticloadbalancing:RegisterTargets",
      (signal) =>
        session.aws.elbv2.registerTargets(
          {
            TargetGroupArn: target.targetGroupArn,
            Targets: [
              {
                Id: target.id,
                Port: target.port,
                ...(target.availabilityZone ? { AvailabilityZone: target.availabilityZone } : {}),
              },
            ],
          },
          signal,
        ),
      { retry: true, mutating: true },
    );
  }
  return targets;
}

export async function waitForHealthyTargets(
  session: Session,
  evaluation: Evaluation,
  targets: PlannedTarget[],
): Promise<void> {
  const registeredAt = session.clock.now();
  const pending = new Set(targets);
  const seen = new Map<PlannedTarget, string>();
  await waitFor(session, {
    phase: "target-health",
    waitingFor: "the canary to become healthy in every target group",
    timeout: evaluation.timeouts.targetHealth,
    setBy: "targetHealth",
    interval: () => 5_000,
    check: async () => {
      const task = await evaluation.watch.refresh("target-health");
      if (task) assertAlive(task, evaluation, "target-health");
      const since = session.clock.now() - registeredAt;
      for (const target of [...pending]) {
        const group = evaluation.groups.get(target.targetGroupArn);
        const description = await describeTarget(session, target);
        const health = description?.TargetHealth;
        const state = health?.State ?? "unused";
        const key = `${state}|${health?.Reason ?? ""}`;
        if (seen.get(target) !== key) {
          seen.set(target, key);
          session.emit({
            type: "target-health",
            targetGroupArn: target.targetGroupArn,
            targetId: target.id,
            port: target.port,
            state,
            ...(health?.Reason ? { reason: health.Reason } : {}),
            ...(health?.Description ? { description: health.Description } : {}),
          });
        }
        const registration = evaluation.canary.registrations.find(
          (r) => r.targetGroupArn === target.targetGroupArn && r.id === target.id && r.port === target.port,
        );
        if (registration) registration.lastState = state;
        const verdict = judgeTarget(description, group, since);
        if (verdict.kind === "healthy") pending.delete(target);
        if (verdict.kind === "failed") {
          if (task && (task.lastStatus !== "RUNNING" || task.desiredStatus === "STOPPED")) {
            throw stoppedError(task, "target-health");
          }
          throw new CageError(
            "canary-failed",
            "target-health",
            `Canary target ${target.id}:${target.port} in target group ${group?.name ?? target.targetGroupArn} ${verdict.message}.`,
            `Check that container "${target.containerName}" answers the target group's health check on port ${target.containerPort}, and that the security groups let the load balancer reach it.`,
          );
        }
      }
      if (pending.size === 0) return { done: true, value: undefined };
      const next = Math.min(
        ...[...pending].map((t) => {
          const group = evaluation.groups.get(t.targetGroupArn);
          return group ? nextTargetLookMs(group, session.clock.now() - registeredAt) : 5_000;
        }),
      );
      const summary = [...pending].map((t) => `${t.id}:${t.port} ${seen.get(t)?.split("|")[0] ?? "?"}`).join(", ");
      return { done: false, seen: summary, next };
    },
  });
}

async function describeTarget(session: Session, target: PlannedTarget): Promise<TargetHealthDescription | undefined> {
  const out = await callAws(session, "target-health", "elasticloadbalancing:DescribeTargetHealth", (signal) =>
    session.aws.elbv2.describeTargetHealth(
      { TargetGroupArn: target.targetGroupArn, Targets: [{ Id: target.id, Port: target.port }] },
      signal,
    ),
  );
  return out.TargetHealthDescriptions?.find(
    (d) => d.Target?.Id === target.id && (d.Target?.Port === undefined || d.Target.Port === target.port),
  );
}
