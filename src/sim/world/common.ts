/** Lookups and paging shared by the operation handlers. */
import { SimError } from "../types.js";
import type { Cluster, TaskDefinition, WorldState } from "./state.js";

/** A page of `items` as AWS pages: an opaque token carrying the offset. */
export function paginate<T>(
  items: T[],
  nextToken: string | undefined,
  maxResults: number | undefined,
  defaultMax: number,
  maxAllowed = 100,
): { page: T[]; nextToken?: string } {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > maxAllowed)) {
    throw new SimError(
      "InvalidParameterException",
      `maxResults must be between 1 and ${maxAllowed}, got ${maxResults}.`,
    );
  }
  let offset = 0;
  if (nextToken) {
    const decoded = Number(Buffer.from(nextToken, "base64").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0) {
      throw new SimError("InvalidParameterException", "The nextToken is not valid.");
    }
    offset = decoded;
  }
  const size = maxResults ?? defaultMax;
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`o:${offset + size}`).toString("base64") : undefined;
  return { page, nextToken: next };
}

/** A cluster by name or ARN; ECS's "default" when none is given. */
export function clusterOf(state: WorldState, ref: string | undefined): Cluster {
  const name = nameOf(ref ?? "default", "cluster/");
  const cluster = state.clusters.get(name);
  if (!cluster) throw new SimError("ClusterNotFoundException", "Cluster not found.");
  return cluster;
}

export function nameOf(ref: string, prefix: string): string {
  const at = ref.indexOf(prefix);
  return ref.startsWith("arn:") && at >= 0 ? ref.slice(at + prefix.length) : ref;
}

/** `family`, `family:revision` or a full ARN; `family` alone means its latest ACTIVE revision. */
export function findTaskDefinition(state: WorldState, ref: string): TaskDefinition | undefined {
  const short = nameOf(ref, "task-definition/");
  const [family, revision] = short.split(":");
  if (revision !== undefined) {
    return state.taskDefinitions.get(state.arn("ecs", `task-definition/${family}:${revision}`));
  }
  let latest: TaskDefinition | undefined;
  for (const td of state.taskDefinitions.values()) {
    if (td.family === family && td.status === "ACTIVE" && (!latest || td.revision > latest.revision)) latest = td;
  }
  return latest;
}

export function taskDefinitionOf(state: WorldState, ref: string | undefined): TaskDefinition {
  const td = ref ? findTaskDefinition(state, ref) : undefined;
  if (!td) {
    throw new SimError("InvalidParameterException", "TaskDefinition not found.");
  }
  return td;
}

export function required<T>(value: T | undefined | null, name: string, code = "InvalidParameterException"): T {
  if (value === undefined || value === null || value === "") {
    throw new SimError(code, `${name} must be specified.`);
  }
  return value;
}
