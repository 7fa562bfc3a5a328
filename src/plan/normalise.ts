/**
 * Both sides of a diff in one canonical form, so that a file that would change nothing shows no difference: keys
 * ECS sets itself and values it fills in by default are dropped, empty lists and objects are dropped, keys are
 * sorted, and lists whose order means nothing (environment, secrets, tags, containers) are sorted by name.
 */
import type { CreateServiceRequest, Service, TaskDefinition } from "@aws-sdk/client-ecs";
import { fromDescribed } from "../context/described.js";
import { CLEARABLE_LISTS, UPDATABLE_FIELDS } from "../engine/service-update.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values ECS fills in when a field is left out, by the key's name (the object it is in given by `where`). */
const DEFAULTS: { where: RegExp; key: string; value: Json }[] = [
  { where: /^containerDefinitions\[[^\]]*\]$/, key: "cpu", value: 0 },
  { where: /^containerDefinitions\[[^\]]*\]$/, key: "essential", value: true },
  { where: /\.portMappings\[\d+\]$/, key: "protocol", value: "tcp" },
  { where: /awsvpcConfiguration$/, key: "assignPublicIp", value: "DISABLED" },
  { where: /^deploymentConfiguration$/, key: "strategy", value: "ROLLING" },
  { where: /^deploymentConfiguration$/, key: "bakeTimeInMinutes", value: 0 },
  { where: /^deploymentController$/, key: "type", value: "ECS" },
  // ECS describes alarms and the circuit breaker as off when a service was created without them.
  { where: /^deploymentConfiguration\.(alarms|deploymentCircuitBreaker)$/, key: "enable", value: false },
  { where: /^deploymentConfiguration\.(alarms|deploymentCircuitBreaker)$/, key: "rollback", value: false },
  { where: /^$/, key: "propagateTags", value: "NONE" },
  { where: /^$/, key: "enableECSManagedTags", value: false },
  { where: /^$/, key: "enableExecuteCommand", value: false },
];

/** Lists keyed by one member: sorted by it, and shown by it in a path (`environment[RELEASE]`). */
const KEYED: Record<string, string> = {
  containerDefinitions: "name",
  environment: "name",
  secrets: "name",
  tags: "key",
  ulimits: "name",
  systemControls: "namespace",
  volumes: "name",
};
/** Lists of names whose order means nothing. */
const SETS = new Set(["subnets", "securityGroups", "requiresCompatibilities", "alarmNames"]);

export function keyOf(list: string): string | undefined {
  return KEYED[list];
}

/** `where` is the path of `value` so far, in the form lines.ts prints. */
function canonical(value: unknown, where: string, name: string): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const key = KEYED[name];
    const items = value
      .map((item, i) =>
        canonical(item, `${where}[${key ? String((item as Record<string, unknown>)?.[key]) : i}]`, name),
      )
      .filter((item): item is Json => item !== undefined);
    if (items.length === 0) return undefined;
    if (key) return items.sort((a, b) => compare(memberOf(a, key), memberOf(b, key)));
    return SETS.has(name) ? items.sort((a, b) => compare(String(a), String(b))) : items;
  }
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) {
      const child = canonical(record[key], where ? `${where}.${key}` : key, key);
      if (child === undefined || isDefault(where, key, child, record)) continue;
      out[key] = child;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value as Json;
}

function isDefault(where: string, key: string, value: Json, record: Record<string, unknown>): boolean {
  // A host port the same as the container port is what awsvpc and host mode make of it; 0 is bridge mode's dynamic one.
  if (key === "hostPort" && /\.portMappings\[\d+\]$/.test(where)) return value === 0 || value === record.containerPort;
  return DEFAULTS.some((d) => d.key === key && d.value === value && d.where.test(where));
}

const memberOf = (item: Json, key: string) => String((item as Record<string, Json>)[key] ?? "");
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function canonicalObject(value: unknown): { [key: string]: Json } {
  return (canonical(value, "", "") as { [key: string]: Json } | undefined) ?? {};
}

/** A task definition, from task-definition.json or a registered revision, as RegisterTaskDefinition input. */
export function normaliseTaskDefinition(td: object | TaskDefinition, tags?: unknown): { [key: string]: Json } {
  const { value } = fromDescribed(td as Record<string, unknown>);
  return canonicalObject(tags === undefined ? value : { ...value, tags });
}

/**
 * What an update with `update-service` would change: each updatable field service.json sets, and the lists an
 * update clears when service.json leaves them out, beside what the live service has (service connect and volume
 * settings are on its primary deployment).
 */
export function normaliseServiceUpdate(file: CreateServiceRequest, live: Service) {
  const primary = live.deployments?.find((d) => d.status === "PRIMARY");
  // The service's own fields win: its platform version is as asked for (LATEST), the deployment's as resolved.
  const before = { ...primary, ...live } as unknown as Record<string, unknown>;
  const sent = file as unknown as Record<string, unknown>;
  const fileSide: Record<string, unknown> = {};
  const liveSide: Record<string, unknown> = {};
  for (const field of UPDATABLE_FIELDS) {
    const cleared = (CLEARABLE_LISTS as readonly string[]).includes(field);
    if (sent[field] === undefined && !cleared) continue;
    fileSide[field] = sent[field];
    liveSide[field] = before[field];
  }
  return { file: canonicalObject(fileSide), live: canonicalObject(liveSide) };
}

/** The service `up` would create: service.json as CreateService input. */
export function normaliseNewService(file: CreateServiceRequest): { [key: string]: Json } {
  return canonicalObject(file);
}
