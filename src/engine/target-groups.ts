/** Reads the target groups a canary will be registered to: health check settings and deregistration delay. */
import { CageError, isAwsError } from "./errors.js";
import type { Phase } from "./events.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";
import type { TargetGroupInfo } from "./targets.js";

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
