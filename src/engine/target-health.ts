/**
 * The canary in the service's target groups: their health check settings and deregistration delay, the canary's
 * registration to every one of them, and the wait for each target to turn healthy.
 */
import { assertAlive, type Canary, type Evaluation } from "./canary.js";
import { ec2InstanceOf } from "./container-instance.js";
import { CageError, isAwsError } from "./errors.js";
import type { Phase } from "./events.js";
import { callAws, waitFor } from "./polling.js";
import { ChangeLog, type Session } from "./session.js";
import {
  assessTargets,
  type PlannedTarget,
  plannedTargets,
  TARGET_POLL_MS,
  type TargetGroupInfo,
  type TargetLook,
} from "./targets.js";
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
  const changes = new ChangeLog(session);
  let pending = targets;
  await waitFor(session, {
    phase: "target-health",
    waitingFor: "the canary to become healthy in every target group",
    timeout: evaluation.timeouts.targetHealth,
    setBy: "targetHealth",
    interval: () => TARGET_POLL_MS,
    check: async () => {
      const task = await evaluation.watch.refresh("target-health");
      if (task) assertAlive(task, evaluation, "target-health");
      const looks = await lookAt(session, pending);
      for (const look of looks) record(changes, evaluation.canary, look);
      const { verdicts, poll } = assessTargets(looks, evaluation.groups, session.clock.now() - registeredAt);
      pending = verdicts.filter((v) => v.verdict.kind !== "healthy").map((v) => v.target);
      return poll;
    },
  });
}

/** A look at a target, as an event when it changed and as the last state of its registration (for the drain). */
function record(changes: ChangeLog, canary: Canary, { target, description }: TargetLook): void {
  const health = description?.TargetHealth;
  const state = health?.State ?? "unused";
  changes.emit(target, {
    type: "target-health",
    targetGroupArn: target.targetGroupArn,
    targetId: target.id,
    port: target.port,
    state,
    ...(health?.Reason ? { reason: health.Reason } : {}),
    ...(health?.Description ? { description: health.Description } : {}),
  });
  const registration = canary.registrations.find(
    (r) => r.targetGroupArn === target.targetGroupArn && r.id === target.id && r.port === target.port,
  );
  if (registration) registration.lastState = state;
}

/** What DescribeTargetHealth says of each target, one call each, in order. */
async function lookAt(session: Session, targets: readonly PlannedTarget[]): Promise<TargetLook[]> {
  const looks: TargetLook[] = [];
  for (const target of targets) {
    const out = await callAws(session, "target-health", "elasticloadbalancing:DescribeTargetHealth", (signal) =>
      session.aws.elbv2.describeTargetHealth(
        { TargetGroupArn: target.targetGroupArn, Targets: [{ Id: target.id, Port: target.port }] },
        signal,
      ),
    );
    const description = out.TargetHealthDescriptions?.find(
      (d) => d.Target?.Id === target.id && (d.Target?.Port === undefined || d.Target.Port === target.port),
    );
    looks.push({ target, description });
  }
  return looks;
}
