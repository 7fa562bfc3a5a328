/** How cage names what it starts, so a later run or another process can find it. */
import { createHash } from "node:crypto";
import type { Tag } from "@aws-sdk/client-ecs";

export const TOOL = "cage-action";

/** canarycage's group, kept so canaries of either tool are recognised. */
export function canaryGroup(service: string): string {
  return `cage:canary-task:${service}`;
}

export const RUN_TASK_GROUP = "cage:run-task";

/** `startedBy` allows 128 letters, digits, `-`, `/` and `_`. */
export function startedByFor(runId: string): string {
  const safe = runId.replace(/[^A-Za-z0-9_/-]/g, "_");
  return `${TOOL}/${safe}`.slice(0, 128);
}

export function canaryTags(service: string, runId: string): Tag[] {
  return [
    { key: "cage:tool", value: TOOL },
    { key: "cage:role", value: "canary" },
    { key: "cage:service", value: service },
    { key: "cage:run", value: runId.slice(0, 256) },
  ];
}

export function runTaskTags(runId: string): Tag[] {
  return [
    { key: "cage:tool", value: TOOL },
    { key: "cage:role", value: "run" },
    { key: "cage:run", value: runId.slice(0, 256) },
  ];
}

/** The same run, service and task definition always give the same token, so a repeated RunTask starts nothing new. */
export function clientTokenFor(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 64);
}

/** `arn:…:task-definition/web:42` → `web:42`. */
export function shortTaskDefinition(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}
