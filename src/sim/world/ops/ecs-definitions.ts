/** ECS task definitions, clusters and tags. */
import type * as ECS from "@aws-sdk/client-ecs";
import { type OpHandler, SimError } from "../../types.js";
import { clusterOf, findTaskDefinition, nameOf, paginate, required } from "../common.js";
import type { TaskDefinition, WorldState } from "../state.js";
import { checkTaskDefinition } from "./task-definition-checks.js";

export function registerTaskDefinition(state: WorldState, input: ECS.RegisterTaskDefinitionCommandInput, now: number) {
  const family = required(input.family, "Family");
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw new SimError(
      "ClientException",
      "Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.",
    );
  }
  const containers = input.containerDefinitions ?? [];
  if (containers.length === 0) throw new SimError("ClientException", "Container list cannot be empty.");
  for (const c of containers) {
    if (!c.name) throw new SimError("ClientException", "Container.name should not be null or empty.");
    if (!c.image) throw new SimError("ClientException", "Container.image should not be null or empty.");
  }
  const sizes = checkTaskDefinition(input);
  const awsvpc =
    (input.networkMode ?? (input.requiresCompatibilities?.includes("FARGATE") ? "awsvpc" : "bridge")) === "awsvpc";
  // ECS fills in these defaults and returns them from DescribeTaskDefinition.
  const normalized = containers.map((c) => ({
    cpu: 0,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    ...c,
    portMappings: (c.portMappings ?? []).map((p) => ({
      ...p,
      hostPort: p.hostPort ?? (awsvpc ? p.containerPort : 0),
      protocol: p.protocol ?? "tcp",
    })),
    essential: c.essential ?? true,
  }));
  let revision = 1;
  for (const td of state.taskDefinitions.values())
    if (td.family === family) revision = Math.max(revision, td.revision + 1);
  const td: TaskDefinition = {
    arn: state.arn("ecs", `task-definition/${family}:${revision}`),
    family,
    revision,
    status: "ACTIVE",
    registeredAt: now,
    input: { ...input, ...sizes, tags: undefined },
    containers: normalized,
    tags: input.tags ?? [],
  };
  state.taskDefinitions.set(td.arn, td);
  return td;
}

export function taskDefinitionView(state: WorldState, td: TaskDefinition): ECS.TaskDefinition {
  const input = td.input as ECS.RegisterTaskDefinitionCommandInput;
  return {
    ...input,
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    status: td.status,
    containerDefinitions: td.containers,
    networkMode: input.networkMode ?? (input.requiresCompatibilities?.includes("FARGATE") ? "awsvpc" : "bridge"),
    volumes: input.volumes ?? [],
    placementConstraints: input.placementConstraints ?? [],
    compatibilities: [
      "EC2",
      ...(input.networkMode === "awsvpc" || input.requiresCompatibilities?.includes("FARGATE")
        ? ["FARGATE" as const]
        : []),
    ],
    requiresAttributes: [{ name: "com.amazonaws.ecs.capability.docker-remote-api.1.18" }],
    registeredAt: new Date(td.registeredAt),
    registeredBy: `arn:aws:iam::${state.accountId}:user/cage`,
    deregisteredAt: td.deregisteredAt === undefined ? undefined : new Date(td.deregisteredAt),
  };
}

function tagsHolder(state: WorldState, arn: string): { tags: ECS.Tag[] } {
  const holder =
    state.tasks.get(arn) ??
    state.services.get(arn) ??
    state.taskDefinitions.get(arn) ??
    [...state.clusters.values()].find((c) => c.arn === arn);
  if (!holder) throw new SimError("InvalidParameterException", "The specified resource is not found.");
  return holder;
}

export function definitionOps(state: WorldState, now: () => number): Record<string, OpHandler> {
  return {
    RegisterTaskDefinition: (
      input: ECS.RegisterTaskDefinitionCommandInput,
    ): ECS.RegisterTaskDefinitionCommandOutput => {
      const td = registerTaskDefinition(state, input, now());
      return { taskDefinition: taskDefinitionView(state, td), tags: td.tags, $metadata: {} };
    },
    DescribeTaskDefinition: (input: ECS.DescribeTaskDefinitionCommandInput) => {
      const ref = required(input.taskDefinition, "taskDefinition", "ClientException");
      const td = findTaskDefinition(state, ref) ?? [...state.taskDefinitions.values()].find((t) => t.arn === ref);
      if (!td) throw new SimError("ClientException", "Unable to describe task definition.");
      const out: ECS.DescribeTaskDefinitionResponse = { taskDefinition: taskDefinitionView(state, td) };
      if (input.include?.includes("TAGS")) out.tags = td.tags;
      return out;
    },
    DeregisterTaskDefinition: (
      input: ECS.DeregisterTaskDefinitionCommandInput,
    ): ECS.DeregisterTaskDefinitionResponse => {
      const ref = required(input.taskDefinition, "taskDefinition", "ClientException");
      if (!nameOf(ref, "task-definition/").includes(":")) {
        throw new SimError("ClientException", "Revision must be specified for deregistration.");
      }
      const td = findTaskDefinition(state, ref);
      if (!td) throw new SimError("ClientException", "The specified task definition does not exist.");
      td.status = "INACTIVE";
      td.deregisteredAt ??= now();
      return { taskDefinition: taskDefinitionView(state, td) };
    },
    ListTaskDefinitions: (input: ECS.ListTaskDefinitionsCommandInput): ECS.ListTaskDefinitionsResponse => {
      const status = input.status ?? "ACTIVE";
      const all = [...state.taskDefinitions.values()]
        // familyPrefix is "the full family name" (unlike ListTaskDefinitionFamilies, where it is a prefix).
        .filter((td) => td.status === status && (!input.familyPrefix || td.family === input.familyPrefix))
        .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
      if (input.sort === "DESC") all.reverse();
      const { page, nextToken } = paginate(all, input.nextToken, input.maxResults, 100);
      return { taskDefinitionArns: page.map((td) => td.arn), nextToken };
    },
    ListTaskDefinitionFamilies: (input: ECS.ListTaskDefinitionFamiliesCommandInput) => {
      const families = [...new Set([...state.taskDefinitions.values()].map((td) => td.family))]
        .filter((f) => !input.familyPrefix || f.startsWith(input.familyPrefix))
        .sort();
      const { page, nextToken } = paginate(families, input.nextToken, input.maxResults, 100);
      return { families: page, nextToken };
    },
    CreateCluster: (input: ECS.CreateClusterCommandInput): ECS.CreateClusterResponse => {
      const name = input.clusterName ?? "default";
      let cluster = state.clusters.get(name);
      if (!cluster) {
        cluster = { name, arn: state.arn("ecs", `cluster/${name}`), tags: input.tags ?? [] };
        state.clusters.set(name, cluster);
      }
      return { cluster: clusterView(state, cluster.name, now()) };
    },
    DescribeClusters: (input: ECS.DescribeClustersCommandInput): ECS.DescribeClustersResponse => {
      const refs = input.clusters?.length ? input.clusters : ["default"];
      if (refs.length > 100) throw new SimError("InvalidParameterException", "clusters can have at most 100 items.");
      const clusters: ECS.Cluster[] = [];
      const failures: ECS.Failure[] = [];
      for (const ref of refs) {
        const cluster = state.clusters.get(nameOf(ref, "cluster/"));
        if (cluster) clusters.push(clusterView(state, cluster.name, now()));
        else
          failures.push({ arn: ref.startsWith("arn:") ? ref : state.arn("ecs", `cluster/${ref}`), reason: "MISSING" });
      }
      return { clusters, failures };
    },
    ListClusters: (input: ECS.ListClustersCommandInput): ECS.ListClustersResponse => {
      const { page, nextToken } = paginate([...state.clusters.values()], input.nextToken, input.maxResults, 100);
      return { clusterArns: page.map((c) => c.arn), nextToken };
    },
    TagResource: (input: ECS.TagResourceCommandInput): ECS.TagResourceResponse => {
      const holder = tagsHolder(state, required(input.resourceArn, "resourceArn"));
      for (const tag of input.tags ?? []) {
        holder.tags = holder.tags.filter((t) => t.key !== tag.key).concat(tag);
      }
      return {};
    },
    UntagResource: (input: ECS.UntagResourceCommandInput): ECS.UntagResourceResponse => {
      const holder = tagsHolder(state, required(input.resourceArn, "resourceArn"));
      holder.tags = holder.tags.filter((t) => !input.tagKeys?.includes(t.key ?? ""));
      return {};
    },
    ListTagsForResource: (input: ECS.ListTagsForResourceCommandInput): ECS.ListTagsForResourceResponse => {
      return { tags: tagsHolder(state, required(input.resourceArn, "resourceArn")).tags };
    },
  };
}

function clusterView(state: WorldState, name: string, now: number): ECS.Cluster {
  const cluster = clusterOf(state, name);
  const tasks = (state.tasksByCluster.get(name) ?? []).filter(
    (t) => !(t.phases.at(-1)!.status === "STOPPED" && t.phases.at(-1)!.at <= now),
  );
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: "ACTIVE",
    registeredContainerInstancesCount: [...state.containerInstances.values()].filter((ci) => ci.clusterName === name)
      .length,
    runningTasksCount: tasks.filter((t) => t.runningAt !== undefined && t.runningAt <= now).length,
    pendingTasksCount: tasks.filter((t) => t.runningAt === undefined || t.runningAt > now).length,
    activeServicesCount: [...state.services.values()].filter((s) => s.clusterName === name && s.status === "ACTIVE")
      .length,
    statistics: [],
    tags: cluster.tags,
    settings: [{ name: "containerInsights", value: "disabled" }],
    capacityProviders: ["FARGATE", "FARGATE_SPOT"],
    defaultCapacityProviderStrategy: [],
  };
}
