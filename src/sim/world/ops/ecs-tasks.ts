/** ECS tasks and container instances: RunTask, StartTask, StopTask, DescribeTasks, ListTasks, instances. */
import type * as ECS from "@aws-sdk/client-ecs";
import { type OpHandler, SimError } from "../../types.js";
import { clusterOf, nameOf, paginate, required, taskDefinitionOf } from "../common.js";
import { type LaunchRequest, launch, usedOn } from "../launch.js";
import { isStopRequested, requestStop, statusAt } from "../lifecycle.js";
import { type InstanceFacts, matches, parseFilter } from "../query.js";
import { stopServiceTask } from "../scheduler.js";
import type { ContainerInstance, Task, WorldState } from "../state.js";
import { taskView } from "../views.js";
import {
  checkCompatible,
  checkEnums,
  checkNetwork,
  checkPlatformVersion,
  RUN_TASK_ENUMS,
  START_TASK_ENUMS,
} from "./ecs-checks.js";

function findTask(state: WorldState, clusterName: string, ref: string): Task | undefined {
  const id = nameOf(ref, "task/").split("/").at(-1)!;
  const task = state.tasks.get(state.arn("ecs", `task/${clusterName}/${id}`));
  return task;
}

function instanceOf(state: WorldState, clusterName: string, ref: string): ContainerInstance | undefined {
  const id = ref.split("/").at(-1)!;
  return state.containerInstances.get(state.arn("ecs", `container-instance/${clusterName}/${id}`));
}

function launchTypeOf(input: ECS.RunTaskCommandInput): {
  launchType: "FARGATE" | "EC2";
  capacityProviderName?: string;
} {
  const provider = input.capacityProviderStrategy?.[0]?.capacityProvider;
  if (input.launchType && provider) {
    throw new SimError(
      "InvalidParameterException",
      "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
    );
  }
  if (provider)
    return { launchType: provider.startsWith("FARGATE") ? "FARGATE" : "EC2", capacityProviderName: provider };
  if (input.launchType === "EXTERNAL" || input.launchType === "MANAGED_INSTANCES") {
    throw new SimError(
      "InvalidParameterException",
      `Launch type ${input.launchType} is not supported by the simulator.`,
    );
  }
  return { launchType: input.launchType === "FARGATE" ? "FARGATE" : "EC2" };
}

function baseRequest(
  state: WorldState,
  input: ECS.RunTaskCommandInput | ECS.StartTaskCommandInput,
): Omit<LaunchRequest, "launchType"> {
  const cluster = clusterOf(state, input.cluster);
  const taskDefinition = taskDefinitionOf(state, required(input.taskDefinition, "taskDefinition"));
  if (taskDefinition.status !== "ACTIVE") {
    throw new SimError("ClientException", "TaskDefinition is inactive");
  }
  const vpc = input.networkConfiguration?.awsvpcConfiguration;
  return {
    clusterName: cluster.name,
    taskDefinition,
    subnets: vpc?.subnets ?? [],
    securityGroups: vpc?.securityGroups ?? [],
    group: input.group ?? `family:${taskDefinition.family}`,
    startedBy: input.startedBy,
    tags: input.tags ?? [],
    overrides: input.overrides ?? { containerOverrides: [], inferenceAcceleratorOverrides: [] },
  };
}

export function taskOps(state: WorldState, now: () => number): Record<string, OpHandler> {
  const byClientToken = new Map<string, { taskArns: string[]; failures: ECS.Failure[] }>();
  const view = (t: Task) => taskView(state, t, now());
  return {
    RunTask: (input: ECS.RunTaskCommandInput): ECS.RunTaskResponse => {
      checkEnums(input, RUN_TASK_ENUMS, "InvalidParameterException");
      const count = input.count ?? 1;
      if (!Number.isInteger(count) || count < 1 || count > 10) {
        throw new SimError("InvalidParameterException", "Count must be between 1 and 10.");
      }
      const seen = input.clientToken ? byClientToken.get(input.clientToken) : undefined;
      if (seen) {
        const known = seen.taskArns.map((arn) => state.tasks.get(arn)).filter((t) => t !== undefined);
        return { tasks: known.map(view), failures: seen.failures };
      }
      const request = { ...baseRequest(state, input), ...launchTypeOf(input), platformVersion: input.platformVersion };
      checkNetwork(input.networkConfiguration, request.launchType);
      checkPlatformVersion(input.platformVersion, request.launchType);
      checkCompatible(request.taskDefinition, request.launchType);
      const { tasks, failures } = launch(state, { ...request, clientToken: input.clientToken }, count, now());
      if (input.clientToken) byClientToken.set(input.clientToken, { taskArns: tasks.map((t) => t.arn), failures });
      return { tasks: tasks.map(view), failures };
    },
    StartTask: (input: ECS.StartTaskCommandInput): ECS.StartTaskResponse => {
      checkEnums(input, START_TASK_ENUMS, "InvalidParameterException");
      const request = baseRequest(state, input);
      checkNetwork(input.networkConfiguration, "EC2");
      const refs = required(input.containerInstances, "containerInstances");
      if (refs.length === 0 || refs.length > 10) {
        throw new SimError("InvalidParameterException", "containerInstances must list between 1 and 10 instances.");
      }
      const tasks: ECS.Task[] = [];
      const failures: ECS.Failure[] = [];
      for (const ref of refs) {
        const instance = instanceOf(state, request.clusterName, ref);
        if (!instance) {
          failures.push({ arn: ref, reason: "MISSING" });
          continue;
        }
        const out = launch(state, { ...request, launchType: "EC2", containerInstances: [instance] }, 1, now());
        tasks.push(...out.tasks.map(view));
        failures.push(...out.failures);
      }
      return { tasks, failures };
    },
    StopTask: (input: ECS.StopTaskCommandInput): ECS.StopTaskResponse => {
      const cluster = clusterOf(state, input.cluster);
      const task = findTask(state, cluster.name, required(input.task, "task"));
      if (!task) throw new SimError("InvalidParameterException", "The referenced task was not found.");
      const reason = input.reason ?? "Task stopped by user";
      const svc = task.serviceName ? state.services.get(task.serviceName) : undefined;
      if (svc) stopServiceTask(state, svc, task, now(), reason, "UserInitiated");
      else {
        requestStop(task, now(), { stopCode: "UserInitiated", stoppedReason: reason, drainSeconds: 0 });
        state.agenda.task(task, now());
      }
      return { task: view(task) };
    },
    DescribeTasks: (input: ECS.DescribeTasksCommandInput): ECS.DescribeTasksResponse => {
      const cluster = clusterOf(state, input.cluster);
      const refs = required(input.tasks, "tasks");
      if (refs.length > 100) throw new SimError("InvalidParameterException", "taskIds can have at most 100 items.");
      const tasks: ECS.Task[] = [];
      const failures: ECS.Failure[] = [];
      for (const ref of refs) {
        const task = findTask(state, cluster.name, ref);
        if (!task) {
          failures.push({
            arn: ref.startsWith("arn:") ? ref : state.arn("ecs", `task/${cluster.name}/${ref}`),
            reason: "MISSING",
          });
          continue;
        }
        const out = view(task);
        if (!input.include?.includes("TAGS")) out.tags = undefined;
        tasks.push(out);
      }
      return { tasks, failures };
    },
    ListTasks: (input: ECS.ListTasksCommandInput): ECS.ListTasksResponse => {
      const cluster = clusterOf(state, input.cluster);
      const t = now();
      if (input.serviceName && input.family) {
        throw new SimError("InvalidParameterException", "Service name and family cannot both be specified.");
      }
      const service = input.serviceName
        ? [...state.services.values()].find(
            (s) => s.clusterName === cluster.name && (s.name === input.serviceName || s.arn === input.serviceName),
          )
        : undefined;
      if (input.serviceName && !service) throw new SimError("ServiceNotFoundException", "Service not found.");
      const instance = input.containerInstance ? instanceOf(state, cluster.name, input.containerInstance) : undefined;
      const desired = input.desiredStatus ?? "RUNNING";
      const candidates = service
        ? (state.tasksByService.get(service.arn) ?? [])
        : instance
          ? (state.tasksByInstance.get(instance.arn) ?? [])
          : (state.tasksByCluster.get(cluster.name) ?? []);
      const all = candidates.filter((task) => {
        if (task.clusterName !== cluster.name) return false;
        if (service && task.serviceName !== service.arn) return false;
        if (
          input.family &&
          task.group !== `family:${input.family}` &&
          !task.taskDefinitionArn.includes(`/${input.family}:`)
        )
          return false;
        if (input.startedBy && task.startedBy !== input.startedBy) return false;
        if (input.launchType && task.launchType !== input.launchType) return false;
        if (input.containerInstance && task.containerInstanceArn !== instance?.arn) return false;
        const stopping = isStopRequested(task, t);
        if (desired === "STOPPED") return stopping;
        if (desired === "PENDING") return !stopping && ["PROVISIONING", "PENDING"].includes(statusAt(task, t));
        return !stopping;
      });
      const { page, nextToken } = paginate(all, input.nextToken, input.maxResults, 100);
      return { taskArns: page.map((task) => task.arn), nextToken };
    },
    DescribeContainerInstances: (input: ECS.DescribeContainerInstancesCommandInput) => {
      const cluster = clusterOf(state, input.cluster);
      const containerInstances: ECS.ContainerInstance[] = [];
      const failures: ECS.Failure[] = [];
      const refs = required(input.containerInstances, "containerInstances");
      if (refs.length > 100) {
        throw new SimError("InvalidParameterException", "containerInstances can have at most 100 items.");
      }
      for (const ref of refs) {
        const ci = instanceOf(state, cluster.name, ref);
        if (ci) containerInstances.push(instanceView(state, ci, now()));
        else failures.push({ arn: ref, reason: "MISSING" });
      }
      return { containerInstances, failures };
    },
    ListContainerInstances: (input: ECS.ListContainerInstancesCommandInput) => {
      const cluster = clusterOf(state, input.cluster);
      if (input.status && !INSTANCE_STATUSES.includes(input.status)) {
        throw new SimError(
          "InvalidParameterException",
          `Invalid status ${input.status}; use one of ${INSTANCE_STATUSES.join(", ")}.`,
        );
      }
      const filter = input.filter ? parseFilter(input.filter) : undefined;
      const all = [...state.containerInstances.values()].filter(
        (ci) =>
          ci.clusterName === cluster.name &&
          (!input.status || input.status === "ACTIVE") &&
          (!filter || matches(filter, factsOf(state, ci, now()))),
      );
      const { page, nextToken } = paginate(all, input.nextToken, input.maxResults, 100);
      return { containerInstanceArns: page.map((ci) => ci.arn), nextToken };
    },
  };
}

/** Every instance the simulator has is ACTIVE; the other statuses are valid and list nothing. */
const INSTANCE_STATUSES: string[] = ["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"];

const AGENT_VERSION = "1.89.0";

function attributesOf(state: WorldState, ci: ContainerInstance): ECS.Attribute[] {
  return [
    { name: "ecs.instance-type", value: ci.instanceType },
    { name: "ecs.subnet-id", value: ci.subnetId },
    { name: "ecs.availability-zone", value: state.subnets.get(ci.subnetId)?.availabilityZone ?? "" },
    { name: "ecs.os-type", value: "linux" },
  ];
}

function factsOf(state: WorldState, ci: ContainerInstance, now: number): InstanceFacts {
  const live = (state.tasksByInstance.get(ci.arn) ?? []).filter((t) => statusAt(t, now) !== "STOPPED");
  return {
    agentConnected: true,
    agentVersion: AGENT_VERSION,
    attributes: new Map(attributesOf(state, ci).map((a) => [a.name ?? "", a.value ?? ""])),
    ec2InstanceId: ci.instanceId,
    registeredAt: ci.registeredAt,
    runningTasksCount: live.filter((t) => statusAt(t, now) === "RUNNING").length,
    taskGroups: live.map((t) => t.group),
  };
}

function instanceView(state: WorldState, ci: ContainerInstance, now: number): ECS.ContainerInstance {
  const used = usedOn(state, ci, now);
  const tasks = (state.tasksByInstance.get(ci.arn) ?? []).filter((t) => statusAt(t, now) !== "STOPPED");
  const resources = (cpu: number, memory: number): ECS.Resource[] => [
    { name: "CPU", type: "INTEGER", integerValue: cpu, doubleValue: 0, longValue: 0 },
    { name: "MEMORY", type: "INTEGER", integerValue: memory, doubleValue: 0, longValue: 0 },
    { name: "PORTS", type: "STRINGSET", stringSetValue: ["22", "2375", "2376", "51678", "51679"] },
  ];
  return {
    containerInstanceArn: ci.arn,
    ec2InstanceId: ci.instanceId,
    status: "ACTIVE",
    agentConnected: true,
    version: 1,
    versionInfo: { agentVersion: AGENT_VERSION, dockerVersion: "DockerVersion: 25.0.8" },
    registeredResources: resources(ci.cpu, ci.memory),
    remainingResources: resources(ci.cpu - used.cpu, ci.memory - used.memory),
    runningTasksCount: tasks.filter((t) => statusAt(t, now) === "RUNNING").length,
    pendingTasksCount: tasks.filter((t) => statusAt(t, now) !== "RUNNING").length,
    registeredAt: new Date(ci.registeredAt),
    attributes: attributesOf(state, ci),
    tags: [],
  };
}
