/**
 * Task definitions as users have them: what `aws ecs describe-task-definition` prints, with or without its
 * `{"taskDefinition": …, "tags": […]}` wrapper. The keys ECS sets on a revision are not RegisterTaskDefinition
 * input: they are dropped (with one notice naming them), and the wrapper's tags are kept for the registration.
 */
import type { JsonPath } from "./json.js";

/** Keys of a registered revision that RegisterTaskDefinition does not take. */
export const READ_ONLY_TASK_DEFINITION_KEYS = [
  "taskDefinitionArn",
  "revision",
  "status",
  "requiresAttributes",
  "compatibilities",
  "registeredAt",
  "registeredBy",
  "deregisteredAt",
] as const;

/** Keys describe-task-definition prints beside the task definition. */
const WRAPPER_KEYS = new Set(["taskDefinition", "tags"]);

export interface Described {
  /** The RegisterTaskDefinition input. */
  value: Record<string, unknown>;
  /** Where that input sits in the file: `["taskDefinition"]` inside the wrapper. */
  prefix: JsonPath;
  /** The read-only keys that were dropped, in the file's order. */
  dropped: string[];
  /** Keys beside `taskDefinition` that describe-task-definition never prints. */
  strangers: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function isWrapped(value: Record<string, unknown>): boolean {
  return isObject(value.taskDefinition) && !Object.hasOwn(value, "family");
}

/** The RegisterTaskDefinition input inside a file's object, without the keys ECS sets itself. */
export function fromDescribed(file: Record<string, unknown>): Described {
  const wrapped = isWrapped(file);
  const inner = wrapped ? (file.taskDefinition as Record<string, unknown>) : file;
  const value: Record<string, unknown> = Object.create(null);
  const dropped: string[] = [];
  for (const [key, v] of Object.entries(inner)) {
    if ((READ_ONLY_TASK_DEFINITION_KEYS as readonly string[]).includes(key)) dropped.push(key);
    else value[key] = v;
  }
  if (wrapped && Array.isArray(file.tags) && file.tags.length > 0) value.tags = file.tags;
  const strangers = wrapped ? Object.keys(file).filter((k) => !WRAPPER_KEYS.has(k)) : [];
  return { value, prefix: wrapped ? ["taskDefinition"] : [], dropped, strangers };
}

/** The one notice a file with read-only keys gets. */
export function droppedNotice(file: string, dropped: string[]): string | undefined {
  if (dropped.length === 0) return undefined;
  const keys = dropped.join(", ");
  return `${file}: ignored ${keys}: ECS sets ${dropped.length > 1 ? "these" : "this"} on a registered revision, RegisterTaskDefinition does not take ${dropped.length > 1 ? "them" : "it"}`;
}
