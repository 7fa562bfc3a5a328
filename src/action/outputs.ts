/** The action's outputs: every one is set on every run, empty when it does not apply. */
import * as core from "@actions/core";

export const OUTPUT_NAMES = [
  "result",
  "task-definition-arn",
  "canary-task-arn",
  "deployment-id",
  "service-arn",
  "service-deployment-arn",
  "exit-code",
  "timeline-json",
  "audit-json",
  "highest-severity",
  "critical-count",
  "high-count",
  "medium-count",
  "low-count",
  "fixable-count",
  "unscanned-count",
  "sarif-file",
  "diff",
  "has-changes",
  "verify-result",
  "verify-json",
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

export function setOutputs(values: Partial<Record<OutputName, string | number | undefined>>): void {
  for (const name of OUTPUT_NAMES) {
    const value = values[name];
    core.setOutput(name, value === undefined ? "" : String(value));
  }
}
