/** What ELBv2 refuses in CreateTargetGroup before anything changes, in the words of its model validation. */
import type * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import { SimError } from "../../types.js";

/** The ranges ELBv2's model gives the health-check settings (a 0 s interval would also never end a check loop). */
const HEALTH_CHECK_RANGES = [
  ["HealthCheckIntervalSeconds", "healthCheckIntervalSeconds", 5, 300],
  ["HealthCheckTimeoutSeconds", "healthCheckTimeoutSeconds", 2, 120],
  ["HealthyThresholdCount", "healthyThresholdCount", 2, 10],
  ["UnhealthyThresholdCount", "unhealthyThresholdCount", 2, 10],
] as const;

export function checkHealthCheck(input: ELB.CreateTargetGroupCommandInput): void {
  for (const [member, wire, min, max] of HEALTH_CHECK_RANGES) {
    const value = input[member];
    if (value === undefined) continue;
    const bound = value < min ? `greater than or equal to ${min}` : value > max ? `less than or equal to ${max}` : "";
    if (bound || !Number.isInteger(value)) {
      throw new SimError(
        "ValidationError",
        `1 validation error detected: Value '${value}' at '${wire}' failed to satisfy constraint: Member must have value ${bound || "that is a whole number"}`,
      );
    }
  }
}
