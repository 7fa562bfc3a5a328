/** ECS services and their deployments. */
import type * as ECS from "@aws-sdk/client-ecs";
import { type OpHandler, SimError } from "../../types.js";
import { failureThreshold } from "../breaker.js";
import { clusterOf, nameOf, paginate, required, taskDefinitionOf } from "../common.js";
import { createDeployment, loadBalancersOf, sameLoadBalancers } from "../deployments.js";
import { isStopRequested, statusAt } from "../lifecycle.js";
import { reconcile } from "../scheduler.js";
import { primaryOf, serviceEvent, tasksOf } from "../services.js";
import type { Deployment, Service, WorldState } from "../state.js";
import { serviceView } from "../views.js";
import {
  checkCompatible,
  checkDesiredCount,
  checkEnums,
  checkGracePeriod,
  checkNetwork,
  checkPlatformVersion,
  SERVICE_ENUMS,
} from "./ecs-checks.js";

export function createService(state: WorldState, input: ECS.CreateServiceCommandInput, now: number): Service {
  checkEnums(input, SERVICE_ENUMS, "InvalidParameterException");
  checkDesiredCount(input.desiredCount);
  checkGracePeriod(input.healthCheckGracePeriodSeconds);
  const cluster = clusterOf(state, input.cluster);
  const name = required(input.serviceName, "serviceName");
  const arn = state.arn("ecs", `service/${cluster.name}/${name}`);
  const existing = state.services.get(arn);
  if (existing && existing.status !== "INACTIVE") {
    // ECS answers a repeated CreateService with the same client token with the service it created.
    if (input.clientToken && existing.clientToken === input.clientToken) return existing;
    throw new SimError("InvalidParameterException", "Creation of service was not idempotent.");
  }
  const td = taskDefinitionOf(state, required(input.taskDefinition, "taskDefinition"));
  const provider = input.capacityProviderStrategy?.[0]?.capacityProvider;
  if (input.launchType === "EXTERNAL" || input.launchType === "MANAGED_INSTANCES") {
    throw new SimError(
      "InvalidParameterException",
      `Launch type ${input.launchType} is not supported by the simulator.`,
    );
  }
  const launchType = input.launchType === "FARGATE" || provider?.startsWith("FARGATE") ? "FARGATE" : "EC2";
  checkNetwork(input.networkConfiguration, launchType);
  checkPlatformVersion(input.platformVersion, launchType);
  checkCompatible(td, launchType);
  const loadBalancers = loadBalancersOf(state, td, input.loadBalancers ?? []);
  const config = input.deploymentConfiguration ?? {};
  const svc: Service = {
    arn,
    name,
    clusterName: cluster.name,
    status: "ACTIVE",
    desiredCount: input.desiredCount ?? 0,
    launchType,
    loadBalancers,
    minimumHealthyPercent: config.minimumHealthyPercent ?? 100,
    maximumPercent: config.maximumPercent ?? 200,
    circuitBreaker: {
      enable: config.deploymentCircuitBreaker?.enable ?? false,
      rollback: config.deploymentCircuitBreaker?.rollback ?? false,
    },
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
    createdAt: now,
    ...(input.clientToken ? { clientToken: input.clientToken } : {}),
    tags: input.tags ?? [],
    events: [],
    deployments: [],
    extra: {
      capacityProviderStrategy: input.capacityProviderStrategy,
      propagateTags: input.propagateTags ?? "NONE",
      enableECSManagedTags: input.enableECSManagedTags ?? false,
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      placementConstraints: input.placementConstraints ?? [],
      placementStrategy: input.placementStrategy ?? [],
      serviceRegistries: input.serviceRegistries ?? [],
      roleArn: input.role,
    },
    targets: new Map(),
  };
  const vpc = input.networkConfiguration?.awsvpcConfiguration;
  createDeployment(
    state,
    svc,
    {
      taskDefinitionArn: td.arn,
      desiredCount: svc.desiredCount,
      launchType,
      platformVersion: input.platformVersion,
      subnets: vpc?.subnets ?? [],
      securityGroups: vpc?.securityGroups ?? [],
      assignPublicIp: vpc?.assignPublicIp ?? "DISABLED",
      loadBalancers,
    },
    now,
  );
  state.services.set(arn, svc);
  reconcile(state, svc, now);
  return svc;
}

export function serviceOf(state: WorldState, cluster: string | undefined, ref: string): Service {
  const name = clusterOf(state, cluster).name;
  const svc = state.services.get(state.arn("ecs", `service/${name}/${nameOf(ref, "service/").split("/").at(-1)}`));
  if (!svc) throw new SimError("ServiceNotFoundException", "Service not found.");
  return svc;
}

export function updateService(state: WorldState, input: ECS.UpdateServiceCommandInput, now: number): Service {
  checkEnums(input, SERVICE_ENUMS, "InvalidParameterException");
  checkDesiredCount(input.desiredCount);
  checkGracePeriod(input.healthCheckGracePeriodSeconds);
  const svc = serviceOf(state, input.cluster, required(input.service, "service"));
  if (svc.status !== "ACTIVE") throw new SimError("ServiceNotActiveException", "Service was not ACTIVE.");
  const primary = primaryOf(svc);
  checkNetwork(input.networkConfiguration, primary.launchType);
  checkPlatformVersion(input.platformVersion, primary.launchType);
  // Everything is looked up and checked before the service changes: a refused update changes nothing.
  const td = input.taskDefinition ? taskDefinitionOf(state, input.taskDefinition) : undefined;
  if (td) checkCompatible(td, primary.launchType);
  const vpc = input.networkConfiguration?.awsvpcConfiguration;
  const loadBalancers = input.loadBalancers
    ? loadBalancersOf(state, td ?? state.taskDefinitions.get(primary.taskDefinitionArn)!, input.loadBalancers)
    : primary.loadBalancers;
  const config = input.deploymentConfiguration;
  if (config?.minimumHealthyPercent !== undefined) svc.minimumHealthyPercent = config.minimumHealthyPercent;
  if (config?.maximumPercent !== undefined) svc.maximumPercent = config.maximumPercent;
  if (config?.deploymentCircuitBreaker) {
    svc.circuitBreaker = {
      enable: config.deploymentCircuitBreaker.enable ?? false,
      rollback: config.deploymentCircuitBreaker.rollback ?? false,
    };
  }
  if (input.healthCheckGracePeriodSeconds !== undefined) {
    svc.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
  }
  if (input.desiredCount !== undefined) svc.desiredCount = input.desiredCount;
  // As ECS, an update sets each of these it names and keeps the others.
  const { extra } = svc;
  if (input.propagateTags !== undefined) extra.propagateTags = input.propagateTags;
  if (input.enableECSManagedTags !== undefined) extra.enableECSManagedTags = input.enableECSManagedTags;
  if (input.enableExecuteCommand !== undefined) extra.enableExecuteCommand = input.enableExecuteCommand;
  if (input.placementConstraints !== undefined) extra.placementConstraints = input.placementConstraints;
  if (input.placementStrategy !== undefined) extra.placementStrategy = input.placementStrategy;
  if (input.serviceRegistries !== undefined) extra.serviceRegistries = input.serviceRegistries;
  const changed =
    input.forceNewDeployment ||
    (td && td.arn !== primary.taskDefinitionArn) ||
    vpc !== undefined ||
    input.platformVersion ||
    !sameLoadBalancers(loadBalancers, primary.loadBalancers);
  if (changed) {
    createDeployment(
      state,
      svc,
      {
        taskDefinitionArn: td?.arn ?? primary.taskDefinitionArn,
        desiredCount: svc.desiredCount,
        launchType: primary.launchType,
        platformVersion: input.platformVersion ?? primary.platformVersion,
        subnets: vpc?.subnets ?? primary.subnets,
        securityGroups: vpc?.securityGroups ?? primary.securityGroups,
        assignPublicIp: vpc?.assignPublicIp ?? primary.assignPublicIp,
        loadBalancers,
      },
      now,
    );
  } else {
    primary.desiredCount = svc.desiredCount;
    primary.updatedAt = now;
  }
  reconcile(state, svc, now);
  return svc;
}

function revisionSummary(
  state: WorldState,
  svc: Service,
  revisionArn: string,
  now: number,
): ECS.ServiceRevisionSummary {
  const deployments = svc.deployments.filter((d) => d.revisionArn === revisionArn).map((d) => d.id);
  const tasks = tasksOf(state, svc).filter(
    (t) => deployments.includes(t.deploymentId ?? "") && !isStopRequested(t, now),
  );
  const live = svc.deployments.find((d) => d.revisionArn === revisionArn && d.status !== "INACTIVE");
  return {
    arn: revisionArn,
    requestedTaskCount: live?.status === "PRIMARY" ? live.desiredCount : 0,
    runningTaskCount: tasks.filter((t) => statusAt(t, now) === "RUNNING").length,
    pendingTaskCount: tasks.filter((t) => statusAt(t, now) !== "RUNNING").length,
  };
}

function serviceDeploymentView(state: WorldState, svc: Service, d: Deployment, now: number): ECS.ServiceDeployment {
  const tripped = d.rolloutState === "FAILED";
  return {
    serviceDeploymentArn: d.serviceDeploymentArn,
    serviceArn: svc.arn,
    clusterArn: state.arn("ecs", `cluster/${svc.clusterName}`),
    createdAt: new Date(d.createdAt),
    startedAt: new Date(d.startedAt),
    updatedAt: new Date(d.updatedAt),
    finishedAt: d.finishedAt === undefined ? undefined : new Date(d.finishedAt),
    sourceServiceRevisions: d.sourceRevisionArns.map((arn) => revisionSummary(state, svc, arn, now)),
    targetServiceRevision: revisionSummary(state, svc, d.revisionArn, now),
    status: d.serviceDeploymentStatus as ECS.ServiceDeploymentStatus,
    statusReason: d.serviceDeploymentReason,
    deploymentConfiguration: {
      maximumPercent: svc.maximumPercent,
      minimumHealthyPercent: svc.minimumHealthyPercent,
      deploymentCircuitBreaker: { ...svc.circuitBreaker },
    },
    rollback: d.rollback ? { ...d.rollback, startedAt: new Date(d.rollback.startedAt) } : undefined,
    deploymentCircuitBreaker: {
      status: !svc.circuitBreaker.enable
        ? "DISABLED"
        : tripped
          ? "TRIGGERED"
          : d.rolloutState === "COMPLETED"
            ? "MONITORING_COMPLETE"
            : "MONITORING",
      failureCount: d.failedTasks,
      threshold: failureThreshold(d.desiredCount),
    },
  };
}

export function serviceOps(state: WorldState, now: () => number): Record<string, OpHandler> {
  const visible = (svc: Service) => svc.deployments.filter((d) => d.rollbackOf === undefined);
  return {
    CreateService: (input: ECS.CreateServiceCommandInput): ECS.CreateServiceResponse => ({
      service: serviceView(state, createService(state, input, now()), now()),
    }),
    UpdateService: (input: ECS.UpdateServiceCommandInput): ECS.UpdateServiceResponse => ({
      service: serviceView(state, updateService(state, input, now()), now()),
    }),
    DescribeServices: (input: ECS.DescribeServicesCommandInput): ECS.DescribeServicesResponse => {
      const cluster = clusterOf(state, input.cluster);
      const refs = required(input.services, "services");
      if (refs.length > 10) throw new SimError("InvalidParameterException", "service names can have at most 10 items.");
      const services: ECS.Service[] = [];
      const failures: ECS.Failure[] = [];
      for (const ref of refs) {
        const svc = state.services.get(
          state.arn("ecs", `service/${cluster.name}/${nameOf(ref, "service/").split("/").at(-1)}`),
        );
        if (svc) services.push(serviceView(state, svc, now()));
        else
          failures.push({
            arn: ref.startsWith("arn:") ? ref : state.arn("ecs", `service/${cluster.name}/${ref}`),
            reason: "MISSING",
          });
      }
      return { services, failures };
    },
    DeleteService: (input: ECS.DeleteServiceCommandInput): ECS.DeleteServiceResponse => {
      const svc = serviceOf(state, input.cluster, required(input.service, "service"));
      if (svc.status !== "ACTIVE") throw new SimError("ServiceNotActiveException", "Service was not ACTIVE.");
      if (svc.desiredCount > 0 && !input.force) {
        throw new SimError("InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
      }
      svc.desiredCount = 0;
      primaryOf(svc).desiredCount = 0;
      svc.status = "DRAINING";
      serviceEvent(state, svc, now(), "has been deleted.");
      reconcile(state, svc, now());
      return { service: serviceView(state, svc, now()) };
    },
    ListServices: (input: ECS.ListServicesCommandInput): ECS.ListServicesResponse => {
      const cluster = clusterOf(state, input.cluster);
      const all = [...state.services.values()].filter(
        (s) =>
          s.clusterName === cluster.name &&
          s.status !== "INACTIVE" &&
          (!input.launchType || s.launchType === input.launchType),
      );
      const { page, nextToken } = paginate(all, input.nextToken, input.maxResults, 10);
      return { serviceArns: page.map((s) => s.arn), nextToken };
    },
    ListServiceDeployments: (input: ECS.ListServiceDeploymentsCommandInput): ECS.ListServiceDeploymentsResponse => {
      const svc = serviceOf(state, input.cluster, required(input.service, "service"));
      const after = input.createdAt?.after?.getTime() ?? Number.NEGATIVE_INFINITY;
      const before = input.createdAt?.before?.getTime() ?? Number.POSITIVE_INFINITY;
      const all = visible(svc).filter(
        (d) =>
          (!input.status?.length || input.status.includes(d.serviceDeploymentStatus as ECS.ServiceDeploymentStatus)) &&
          d.createdAt >= after &&
          d.createdAt <= before,
      );
      const { page, nextToken } = paginate(all, input.nextToken, input.maxResults, 20);
      return {
        serviceDeployments: page.map((d) => ({
          serviceDeploymentArn: d.serviceDeploymentArn,
          serviceArn: svc.arn,
          clusterArn: state.arn("ecs", `cluster/${svc.clusterName}`),
          createdAt: new Date(d.createdAt),
          startedAt: new Date(d.startedAt),
          finishedAt: d.finishedAt === undefined ? undefined : new Date(d.finishedAt),
          targetServiceRevisionArn: d.revisionArn,
          status: d.serviceDeploymentStatus as ECS.ServiceDeploymentStatus,
          statusReason: d.serviceDeploymentReason,
        })),
        nextToken,
      };
    },
    DescribeServiceDeployments: (input: ECS.DescribeServiceDeploymentsCommandInput) => {
      const arns = required(input.serviceDeploymentArns, "serviceDeploymentArns");
      const serviceDeployments: ECS.ServiceDeployment[] = [];
      const failures: ECS.Failure[] = [];
      for (const arn of arns) {
        const svc = [...state.services.values()].find((s) => visible(s).some((d) => d.serviceDeploymentArn === arn));
        const d = svc?.deployments.find((x) => x.serviceDeploymentArn === arn);
        if (svc && d) serviceDeployments.push(serviceDeploymentView(state, svc, d, now()));
        else failures.push({ arn, reason: "MISSING" });
      }
      return { serviceDeployments, failures };
    },
  };
}
