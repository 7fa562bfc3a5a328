/** Starting tasks: placement on EC2 container instances, ENIs in subnets, then the planned lifecycle. */
import { createHash } from "node:crypto";
import type { ContainerDefinition, Failure, Tag, TaskOverride } from "@aws-sdk/client-ecs";
import { SimError } from "../types.js";
import { behaviourOf, planTask, stoppedAt } from "./lifecycle.js";
import { allocateEni } from "./network.js";
import type { ContainerInstance, Task, TaskContainer, TaskDefinition, WorldState } from "./state.js";

export interface LaunchRequest {
  clusterName: string;
  taskDefinition: TaskDefinition;
  launchType: "FARGATE" | "EC2";
  platformVersion?: string;
  capacityProviderName?: string;
  subnets: string[];
  securityGroups: string[];
  /** StartTask: exactly these instances; RunTask on EC2: any with room. */
  containerInstances?: ContainerInstance[];
  group: string;
  startedBy?: string;
  tags: Tag[];
  overrides: TaskOverride;
  clientToken?: string;
  serviceName?: string;
  deploymentId?: string;
}

export function networkModeOf(td: TaskDefinition, launchType: string): string {
  return (td.input.networkMode as string | undefined) ?? (launchType === "FARGATE" ? "awsvpc" : "bridge");
}

/** Memory the task needs on an instance: the task size, the containers' sizes, or what its images really need. */
function memoryNeed(td: TaskDefinition, containers: TaskContainer[]): number {
  const declared = Number(td.input.memory ?? 0);
  const sum = td.containers.reduce((n, c) => n + (c.memory ?? c.memoryReservation ?? 0), 0);
  const real = Math.max(0, ...containers.map((c) => c.behaviour.memoryMiB ?? 0));
  return Math.max(declared, sum, real);
}

function cpuNeed(td: TaskDefinition): number {
  return Number(td.input.cpu ?? 0) || td.containers.reduce((n, c) => n + (c.cpu ?? 0), 0);
}

export function usedOn(state: WorldState, instance: ContainerInstance, now: number): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const task of state.tasksByInstance.get(instance.arn) ?? []) {
    const stopped = stoppedAt(task);
    if (stopped !== undefined && stopped <= now) continue;
    cpu += Number(task.cpu);
    memory += Number(task.memory);
  }
  return { cpu, memory };
}

/** An image from outside the world's registries: its tag names one image, so every task pulls the same digest. */
const outsideDigest = (image: string) => `sha256:${createHash("sha256").update(image).digest("hex")}`;

function containersOf(state: WorldState, td: TaskDefinition, taskId: string): TaskContainer[] {
  return td.containers.map((def: ContainerDefinition) => ({
    name: def.name ?? "",
    arn: state.arn("ecs", `container/${td.family}/${taskId}/${state.ids.uuid()}`),
    runtimeId: `${taskId}-${state.ids.digits(10)}`,
    image: def.image ?? "",
    imageDigest: state.resolveImage(def.image ?? "")?.digest ?? outsideDigest(def.image ?? ""),
    essential: def.essential !== false,
    behaviour: behaviourOf(state, def.image ?? ""),
    hasHealthCheck: def.healthCheck !== undefined,
    secrets: (def.secrets ?? []).map((s) => s.valueFrom ?? ""),
    portMappings: (def.portMappings ?? []).map((p) => ({
      containerPort: p.containerPort ?? 0,
      hostPort: p.hostPort ?? 0,
      protocol: p.protocol ?? "tcp",
    })),
  }));
}

/** Starts `count` tasks; what cannot be placed comes back in failures[] as ECS reports it. */
export function launch(
  state: WorldState,
  request: LaunchRequest,
  count: number,
  now: number,
): { tasks: Task[]; failures: Failure[] } {
  const tasks: Task[] = [];
  const failures: Failure[] = [];
  const td = request.taskDefinition;
  const awsvpc = networkModeOf(td, request.launchType) === "awsvpc";
  if (awsvpc && request.subnets.length === 0) {
    throw new SimError(
      "InvalidParameterException",
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  for (const id of request.subnets) {
    if (!state.subnets.has(id)) {
      throw new SimError(
        "InvalidParameterException",
        `Error retrieving subnet information for [${id}]: The subnet ID '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`,
      );
    }
  }
  for (const id of request.securityGroups) {
    if (!state.securityGroups.has(id)) {
      throw new SimError(
        "InvalidParameterException",
        `Error retrieving security group information for [${id}]: The security group '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)`,
      );
    }
  }
  for (let i = 0; i < count; i += 1) {
    const id = state.ids.hex(32);
    const containers = containersOf(state, td, id);
    let instance: ContainerInstance | undefined;
    if (request.launchType === "EC2") {
      const placed = place(state, request, td, containers, now);
      if ("failures" in placed) {
        failures.push(...placed.failures);
        continue;
      }
      instance = placed.instance;
      for (const c of containers) {
        for (const p of c.portMappings) if (!awsvpc && p.hostPort === 0) p.hostPort = instance.nextHostPort++;
      }
    }
    const task = newTask(state, request, id, containers, instance, now);
    let failure: { stoppedReason: string } | undefined;
    if (awsvpc) {
      const subnet = state.subnets.get(request.subnets[state.launches++ % request.subnets.length]!)!;
      task.availabilityZone = subnet.availabilityZone;
      task.eni = allocateEni(state, subnet, request.securityGroups, now);
      if (!task.eni) {
        failure = {
          stoppedReason: `ResourceInitializationError: failed to configure ENI: Unexpected EC2 error while attempting to Create Network Interface in subnet '${subnet.subnetId}': InsufficientFreeAddressesInSubnet`,
        };
      }
    }
    planTask(task, now, failure);
    addTask(state, task);
    state.agenda.task(task, now);
    state.agenda.taskStarted();
    tasks.push(task);
  }
  return { tasks, failures };
}

function subnetOf(state: WorldState, id: string) {
  return state.subnets.get(id)!;
}

function addTask(state: WorldState, task: Task): void {
  state.tasks.set(task.arn, task);
  if (task.eni) {
    subnetOf(state, task.eni.subnetId).enis.push(task);
    state.tasksByIp.set(task.eni.ip, task);
  }
  const index = (map: Map<string, Task[]>, key: string | undefined) => {
    if (key === undefined) return;
    const list = map.get(key);
    if (list) list.push(task);
    else map.set(key, [task]);
  };
  index(state.tasksByService, task.serviceName);
  index(state.tasksByCluster, task.clusterName);
  index(state.tasksByInstance, task.containerInstanceArn);
}

function newTask(
  state: WorldState,
  request: LaunchRequest,
  id: string,
  containers: TaskContainer[],
  instance: ContainerInstance | undefined,
  now: number,
): Task {
  const td = request.taskDefinition;
  const az = instance ? (state.subnets.get(instance.subnetId)?.availabilityZone ?? "") : "";
  return {
    id,
    arn: state.arn("ecs", `task/${request.clusterName}/${id}`),
    clusterName: request.clusterName,
    taskDefinitionArn: td.arn,
    group: request.group,
    startedBy: request.startedBy,
    launchType: request.launchType,
    platformVersion: request.launchType === "FARGATE" ? "1.4.0" : undefined,
    capacityProviderName: request.capacityProviderName,
    cpu: String(cpuNeed(td)),
    memory: String(memoryNeed(td, [])),
    createdAt: now,
    phases: [],
    containers,
    availabilityZone: az,
    containerInstanceArn: instance?.arn,
    instanceId: instance?.instanceId,
    serviceName: request.serviceName,
    deploymentId: request.deploymentId,
    tags: request.tags,
    overrides: request.overrides,
    clientToken: request.clientToken,
    securityGroups:
      instance && networkModeOf(td, request.launchType) !== "awsvpc" ? instance.securityGroups : request.securityGroups,
  };
}

function place(
  state: WorldState,
  request: LaunchRequest,
  td: TaskDefinition,
  containers: TaskContainer[],
  now: number,
): { instance: ContainerInstance } | { failures: Failure[] } {
  const candidates =
    request.containerInstances ??
    [...state.containerInstances.values()].filter((ci) => ci.clusterName === request.clusterName);
  if (candidates.length === 0) {
    throw new SimError("InvalidParameterException", "No Container Instances were found in your cluster.");
  }
  const memory = memoryNeed(td, containers);
  const cpu = cpuNeed(td);
  const failures: Failure[] = [];
  for (const instance of candidates) {
    const used = usedOn(state, instance, now);
    if (instance.memory - used.memory < memory) failures.push({ arn: instance.arn, reason: "RESOURCE:MEMORY" });
    else if (instance.cpu - used.cpu < cpu) failures.push({ arn: instance.arn, reason: "RESOURCE:CPU" });
    else return { instance };
  }
  return { failures };
}
