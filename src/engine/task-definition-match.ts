/**
 * Whether a registered task definition is the one a RegisterTaskDefinition request asked for. ECS fills in
 * defaults (cpu 0, empty lists, host ports, protocols), so every field the request set must be in the revision
 * with the same value; fields only ECS set are ignored. Tags are not part of a revision's description.
 */
import type { RegisterTaskDefinitionRequest, TaskDefinition } from "@aws-sdk/client-ecs";

function contains(sent: unknown, got: unknown): boolean {
  if (sent === undefined || sent === null) return true;
  if (Array.isArray(sent)) {
    return Array.isArray(got) && got.length === sent.length && sent.every((s, i) => contains(s, got[i]));
  }
  if (typeof sent === "object") {
    if (typeof got !== "object" || got === null) return false;
    const record = got as Record<string, unknown>;
    return Object.entries(sent).every(([key, value]) => contains(value, record[key]));
  }
  return sent === got;
}

export function isRegistrationOf(request: RegisterTaskDefinitionRequest, revision: TaskDefinition): boolean {
  const { tags: _tags, ...sent } = request;
  return contains(sent, revision);
}
