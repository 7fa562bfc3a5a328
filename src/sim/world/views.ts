/** SDK-shaped views of tasks and services at a moment. */
import type * as ECS from "@aws-sdk/client-ecs";
import { deploymentConfigurationOf } from "./deployments.js";
import {
  containerHealthAt,
  containerStatusAt,
  isStopRequested,
  statusAt,
  stoppedAt,
  taskHealthAt,
} from "./lifecycle.js";
import { currentRevisions, serviceDeploymentsOf } from "./revisions.js";
import { tasksOf } from "./services.js";
import type { Deployment, Service, Task, WorldState } from "./state.js";

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

function phaseAt(task: Task, status: string): number | undefined {
  return task.phases.find((p) => p.status === status)?.at;
}

function eniStatus(task: Task, now: number): string {
  const status = statusAt(task, now);
  if (status === "PROVISIONING") return "PRECREATED";
  if (status === "DEPROVISIONING") return "DETACHED";
  if (status === "STOPPED") return "DELETED";
  return "ATTACHED";
}

export function taskView(state: WorldState, task: Task, now: number): ECS.Task {
  const lastStatus = statusAt(task, now);
  const stopped = isStopRequested(task, now);
  const ended = lastStatus === "STOPPED" || lastStatus === "DEPROVISIONING";
  const pullStarted = phaseAt(task, "PENDING");
  const pullDone = phaseAt(task, "ACTIVATING");
  const awsvpc = task.eni !== undefined;
  const td = state.taskDefinitions.get(task.taskDefinitionArn);
  return {
    taskArn: task.arn,
    clusterArn: state.arn("ecs", `cluster/${task.clusterName}`),
    taskDefinitionArn: task.taskDefinitionArn,
    containerInstanceArn: task.containerInstanceArn,
    lastStatus,
    desiredStatus: stopped ? "STOPPED" : "RUNNING",
    healthStatus: taskHealthAt(task, now),
    cpu: task.cpu,
    memory: task.memory,
    launchType: task.launchType,
    capacityProviderName: task.capacityProviderName,
    platformVersion: task.platformVersion,
    platformFamily: task.launchType === "FARGATE" ? "Linux" : undefined,
    availabilityZone: task.availabilityZone,
    group: task.group,
    startedBy: task.startedBy,
    version: task.phases.filter((p) => p.at <= now).length,
    connectivity: lastStatus === "PROVISIONING" ? undefined : "CONNECTED",
    connectivityAt: date(pullStarted !== undefined && pullStarted <= now ? pullStarted : undefined),
    createdAt: date(task.createdAt),
    pullStartedAt: date(pullStarted !== undefined && pullStarted <= now ? pullStarted : undefined),
    pullStoppedAt: date(pullDone !== undefined && pullDone <= now ? pullDone : undefined),
    startedAt: date(task.runningAt !== undefined && task.runningAt <= now ? task.runningAt : undefined),
    stoppingAt: date(stopped ? task.stop?.requestedAt : undefined),
    executionStoppedAt: date(ended ? (phaseAt(task, "DEPROVISIONING") ?? stoppedAt(task)) : undefined),
    stoppedAt: date(lastStatus === "STOPPED" ? stoppedAt(task) : undefined),
    stopCode: stopped ? (task.stop?.stopCode as ECS.TaskStopCode) : undefined,
    stoppedReason: stopped ? task.stop?.stoppedReason : undefined,
    tags: task.tags,
    overrides: task.overrides,
    enableExecuteCommand: false,
    ephemeralStorage: task.launchType === "FARGATE" ? { sizeInGiB: 20 } : undefined,
    attachments: task.eni
      ? [
          {
            id: task.eni.attachmentId,
            type: "ElasticNetworkInterface",
            status: eniStatus(task, now),
            details: [
              { name: "subnetId", value: task.eni.subnetId },
              { name: "networkInterfaceId", value: task.eni.id },
              { name: "macAddress", value: task.eni.mac },
              { name: "privateDnsName", value: `ip-${task.eni.ip.replaceAll(".", "-")}.ec2.internal` },
              { name: "privateIPv4Address", value: task.eni.ip },
            ],
          },
        ]
      : [],
    containers: task.containers.map((c) => {
      const status = containerStatusAt(task, c, now);
      const exited = c.exit && c.exit.at <= now ? c.exit : undefined;
      const ran = task.runningAt !== undefined || (c.exit?.exitCode !== undefined && c.exit.at <= now);
      const exitCode = exited?.exitCode ?? (status === "STOPPED" && ran ? (task.stop?.exitCode ?? 0) : undefined);
      return {
        containerArn: c.arn,
        taskArn: task.arn,
        name: c.name,
        image: c.image,
        imageDigest: ran ? c.imageDigest : undefined,
        runtimeId: ran ? c.runtimeId : undefined,
        lastStatus: status,
        exitCode,
        reason: exited?.reason,
        healthStatus: c.hasHealthCheck ? containerHealthAt(task, c, now) : "UNKNOWN",
        cpu: "0",
        networkBindings:
          !awsvpc && status === "RUNNING"
            ? c.portMappings.map((p) => ({
                bindIP: "0.0.0.0",
                containerPort: p.containerPort,
                hostPort: p.hostPort,
                protocol: p.protocol as ECS.TransportProtocol,
              }))
            : [],
        networkInterfaces: task.eni ? [{ attachmentId: task.eni.attachmentId, privateIpv4Address: task.eni.ip }] : [],
        memory: td?.containers.find((d) => d.name === c.name)?.memory?.toString(),
      };
    }),
  };
}

function countsOf(state: WorldState, svc: Service, now: number, deploymentId?: string) {
  let running = 0;
  let pending = 0;
  for (const t of tasksOf(state, svc)) {
    if (deploymentId !== undefined && t.deploymentId !== deploymentId) continue;
    const status = statusAt(t, now);
    if (status === "RUNNING") running += 1;
    else if (!isStopRequested(t, now) && ["PROVISIONING", "PENDING", "ACTIVATING"].includes(status)) pending += 1;
  }
  return { running, pending };
}

export function deploymentView(state: WorldState, svc: Service, d: Deployment, now: number): ECS.Deployment {
  const counts = countsOf(state, svc, now, d.id);
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    desiredCount: d.status === "PRIMARY" ? d.desiredCount : 0,
    pendingCount: counts.pending,
    runningCount: counts.running,
    failedTasks: d.failedTasks,
    createdAt: date(d.createdAt),
    updatedAt: date(d.updatedAt),
    launchType: d.launchType,
    platformVersion: d.launchType === "FARGATE" ? (d.platformVersion ?? "1.4.0") : undefined,
    platformFamily: d.launchType === "FARGATE" ? "Linux" : undefined,
    networkConfiguration: networkOf(d),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

function networkOf(d: Deployment): ECS.NetworkConfiguration | undefined {
  if (d.subnets.length === 0) return undefined;
  return {
    awsvpcConfiguration: { subnets: d.subnets, securityGroups: d.securityGroups, assignPublicIp: d.assignPublicIp },
  };
}

export function serviceView(state: WorldState, svc: Service, now: number): ECS.Service {
  const primary = svc.deployments.find((d) => d.status === "PRIMARY")!;
  const counts = countsOf(state, svc, now);
  return {
    ...(svc.extra as ECS.Service),
    createdBy: `arn:aws:iam::${state.accountId}:role/cage`,
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: state.arn("ecs", `cluster/${svc.clusterName}`),
    status: svc.status,
    desiredCount: svc.desiredCount,
    runningCount: counts.running,
    pendingCount: counts.pending,
    launchType: svc.launchType,
    platformVersion: svc.launchType === "FARGATE" ? (primary.platformVersion ?? "LATEST") : undefined,
    platformFamily: svc.launchType === "FARGATE" ? "Linux" : undefined,
    taskDefinition: primary.taskDefinitionArn,
    loadBalancers: svc.loadBalancers.map((lb) => ({ ...lb })),
    deploymentConfiguration: deploymentConfigurationOf(svc),
    currentServiceDeployment: serviceDeploymentsOf(svc)[0]?.serviceDeploymentArn,
    currentServiceRevisions: currentRevisions(state, svc, now),
    deployments: svc.deployments.filter((d) => d.status !== "INACTIVE").map((d) => deploymentView(state, svc, d, now)),
    events: svc.events.map((e) => ({ id: e.id, createdAt: date(e.createdAt), message: e.message })),
    createdAt: date(svc.createdAt),
    networkConfiguration: networkOf(primary),
    healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
    schedulingStrategy: "REPLICA",
    taskSets: [],
    deploymentController: { type: "ECS" },
    tags: svc.tags,
    availabilityZoneRebalancing: "ENABLED",
  };
}
