/** ECS services and their deployments. */
import type * as ECS from "@aws-sdk/client-ecs";
import { type OpHandler, SimError } from "../../types.js";
import { clusterOf, nameOf, paginate, required, taskDefinitionOf } from "../common.js";
import { createDeployment, loadBalancersOf, sameLoadBalancers } from "../deployments.js";
import { isNativeStrategy, startNative } from "../native.js";
import { reconcile } from "../scheduler.js";
import { primaryOf, serviceEvent } from "../services.js";
import type { Service, WorldState } from "../state.js";
import { serviceView } from "../views.js";
import {
  checkCompatible,
  checkDesiredCount,
  checkEnums,
  checkGracePeriod,
  checkLifecycleHooks,
  checkNetwork,
  checkPlatformVersion,
  SERVICE_ENUMS,
} from "./ecs-checks.js";

/** deploymentConfiguration's members other than the rolling ones the service keeps apart. */
function extrasOf(config: ECS.DeploymentConfiguration): Service["deploymentExtras"] {
  const { maximumPercent: _max, minimumHealthyPercent: _min, deploymentCircuitBreaker: _cb, ...extras } = config;
  return structuredClone(extras);
}

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
  checkLifecycleHooks(config.lifecycleHooks);
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
    deploymentExtras: extrasOf(config),
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
  const first = createDeployment(
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
  if (isNativeStrategy(first.configuration)) startNative(state, svc, first, now);
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
    : primary.configuredLoadBalancers;
  const config = input.deploymentConfiguration;
  checkLifecycleHooks(config?.lifecycleHooks);
  if (config?.minimumHealthyPercent !== undefined) svc.minimumHealthyPercent = config.minimumHealthyPercent;
  if (config?.maximumPercent !== undefined) svc.maximumPercent = config.maximumPercent;
  if (config) svc.deploymentExtras = { ...svc.deploymentExtras, ...extrasOf(config) };
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
    !sameLoadBalancers(loadBalancers, primary.configuredLoadBalancers);
  if (changed) {
    const d = createDeployment(
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
    if (isNativeStrategy(d.configuration)) startNative(state, svc, d, now);
  } else {
    primary.desiredCount = svc.desiredCount;
    primary.updatedAt = now;
  }
  reconcile(state, svc, now);
  return svc;
}

export function serviceOps(state: WorldState, now: () => number): Record<string, OpHandler> {
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
  };
}
