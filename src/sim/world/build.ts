/** Builds a world's state from a validated world spec. Existing services are started before "now" so they load
 * RUNNING, registered and healthy, with the history (events, deployments) that got them there; a service with a
 * `deployment` is updated when that deployment started, and loads in the middle of it. */
import type { CreateServiceCommandInput, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { SimError } from "../types.js";
import { buildListeners } from "./build-listeners.js";
import type { EcrState } from "./ecr-state.js";
import { WorldFileError } from "./load.js";
import { defaultFreeIps, numberToIp, parseCidr } from "./network.js";
import { registerTaskDefinition } from "./ops/ecs-definitions.js";
import { createService, updateService } from "./ops/ecs-services.js";
import { createLoadBalancer, createTargetGroup } from "./ops/elbv2.js";
import type { AlarmSpec, ServiceSpec, WorldSpec } from "./spec.js";
import type { Deployment, Service, WorldState } from "./state.js";

/** What `populate` fills in: the world's home region, its registries, and the wire layer's raw fields. */
export interface Populating {
  readonly state: WorldState;
  readonly ecr: EcrState;
  iamPolicy?: unknown;
  faults?: unknown;
  advanceTo(now: number): void;
}

/** How long before load the declared services were created. */
export const WARMUP_MS = 30 * 60 * 1000;

export function populate(world: Populating, spec: WorldSpec, source: string): void {
  const state = world.state;
  const start = state.time;
  const t = start - WARMUP_MS;
  state.time = t;
  world.iamPolicy = spec.iamPolicy;
  world.faults = spec.faults;
  for (const v of spec.vpcs ?? []) state.vpcs.set(v.vpcId, { ...v });
  for (const s of spec.subnets ?? []) {
    state.subnets.set(s.subnetId, {
      ...s,
      declaredFree: s.availableIpAddressCount ?? defaultFreeIps(s.cidrBlock),
      nextHost: 0,
      enis: [],
    });
  }
  for (const g of spec.securityGroups ?? []) {
    state.securityGroups.set(g.groupId, {
      groupId: g.groupId,
      groupName: g.groupName ?? g.groupId,
      vpcId: g.vpcId,
      description: g.description ?? g.groupName ?? g.groupId,
      ingress: g.ingress ?? [],
    });
  }
  for (const c of spec.clusters ?? []) {
    state.clusters.set(c.name, { name: c.name, arn: state.arn("ecs", `cluster/${c.name}`), tags: [] });
    for (const ci of c.containerInstances ?? []) {
      const subnet = state.subnets.get(ci.subnetId)!;
      const arn = state.arn("ecs", `container-instance/${c.name}/${state.ids.hex(32)}`);
      state.containerInstances.set(arn, {
        arn,
        instanceId: ci.instanceId,
        clusterName: c.name,
        subnetId: ci.subnetId,
        securityGroups: ci.securityGroups ?? [],
        instanceType: ci.instanceType ?? "m5.large",
        privateIp: numberToIp(parseCidr(subnet.cidrBlock)!.base + 250 - state.containerInstances.size),
        cpu: ci.cpu,
        memory: ci.memory,
        registeredAt: t,
        nextHostPort: 32768,
      });
    }
  }
  for (const lb of spec.loadBalancers ?? []) {
    createLoadBalancer(
      state,
      {
        Name: lb.name,
        Subnets: lb.subnets,
        SecurityGroups: lb.securityGroups,
        Scheme: lb.scheme,
        Type: lb.type,
      },
      t,
      lb.arn,
    );
  }
  for (const spec_ of spec.targetGroups ?? []) {
    const hc = spec_.healthCheck ?? {};
    const tg = createTargetGroup(
      state,
      {
        Name: spec_.name,
        Port: spec_.port,
        Protocol: spec_.protocol,
        TargetType: spec_.targetType ?? "ip",
        VpcId: spec_.vpcId,
        HealthCheckPath: hc.path,
        HealthCheckPort: hc.port,
        HealthCheckIntervalSeconds: hc.intervalSeconds,
        HealthCheckTimeoutSeconds: hc.timeoutSeconds,
        HealthyThresholdCount: hc.healthyThreshold,
        UnhealthyThresholdCount: hc.unhealthyThreshold,
        Matcher: hc.matcher ? { HttpCode: hc.matcher } : undefined,
      },
      spec_.arn,
    );
    tg.declaredLoadBalancerArns = [...state.loadBalancers.values()]
      .filter((lb) => spec_.loadBalancers?.includes(lb.name))
      .map((lb) => lb.arn);
    tg.loadBalancerArns = [...tg.declaredLoadBalancerArns];
    if (spec_.deregistrationDelaySeconds !== undefined) {
      tg.attributes.set("deregistration_delay.timeout_seconds", String(spec_.deregistrationDelaySeconds));
    }
  }
  const ruleArns = buildListeners(state, spec, source);
  for (const [ref, behaviour] of Object.entries(spec.images ?? {})) state.images.set(ref, behaviour);
  for (const [fn, behaviour] of Object.entries(spec.lambdas ?? {})) state.lambdas.set(fn, behaviour);
  for (const alarm of spec.alarms ?? []) addAlarm(state, alarm, start);
  for (const repo of spec.ecr?.repositories ?? []) world.ecr.createRepository(repo, start);
  (spec.taskDefinitions ?? []).forEach((td, i) => {
    asWorldError(source, `$.taskDefinitions[${i}]`, () =>
      registerTaskDefinition(state, td as unknown as RegisterTaskDefinitionCommandInput, t),
    );
  });
  (spec.services ?? []).forEach((svc, i) => {
    asWorldError(source, `$.services[${i}]`, () => {
      // The service ran before the world loaded: it is created rolling, then takes its native strategy.
      const created = createService(state, serviceInput(world, svc, ruleArns), t);
      created.deploymentExtras = nativeConfigOf(svc);
    });
  });
  const deploying = startDeployments(world, spec.services ?? [], source, start);
  world.advanceTo(start);
  for (const { path, deployment } of deploying) {
    if (deployment.rolloutState === "IN_PROGRESS") continue;
    const ended = deployment.rolloutState === "COMPLETED" ? "completed" : "failed";
    throw new WorldFileError(source, [
      `${path}.startedSecondsAgo: the deployment ${ended} before the world loaded; give a smaller startedSecondsAgo for a service still deploying`,
    ]);
  }
}

/** Starts each declared deployment at its time, in time order, as UpdateService would. */
function startDeployments(world: Populating, services: ServiceSpec[], source: string, start: number) {
  const state = world.state;
  const due = services
    .map((svc, i) => ({
      svc,
      path: `$.services[${i}].deployment`,
      at: start - (svc.deployment?.startedSecondsAgo ?? 0) * 1000,
    }))
    .filter(({ svc }) => svc.deployment !== undefined)
    .sort((a, b) => a.at - b.at);
  const started: { path: string; deployment: Deployment }[] = [];
  for (const { svc, path, at } of due) {
    world.advanceTo(at);
    const input = {
      cluster: svc.cluster,
      service: svc.serviceName,
      taskDefinition: svc.deployment!.taskDefinition,
      forceNewDeployment: true,
    };
    asWorldError(source, path, () => {
      started.push({ path, deployment: updateService(state, input, at).deployments[0]! });
    });
    state.agenda.everything(state.services.keys());
  }
  return started;
}

function nativeConfigOf(svc: ServiceSpec): Service["deploymentExtras"] {
  const alarms = svc.alarms ? { alarms: { enable: true, ...svc.alarms } } : {};
  if (!svc.strategy) return alarms;
  return {
    ...alarms,
    strategy: svc.strategy,
    ...(svc.bakeTimeInMinutes !== undefined ? { bakeTimeInMinutes: svc.bakeTimeInMinutes } : {}),
    ...(svc.linearConfiguration ? { linearConfiguration: svc.linearConfiguration } : {}),
    ...(svc.canaryConfiguration ? { canaryConfiguration: svc.canaryConfiguration } : {}),
  };
}

function serviceInput(world: Populating, svc: ServiceSpec, ruleArns: Map<string, string>): CreateServiceCommandInput {
  const tgArn = (name: string) => [...world.state.targetGroups.values()].find((tg) => tg.name === name)?.arn;
  return {
    cluster: svc.cluster,
    serviceName: svc.serviceName,
    taskDefinition: svc.taskDefinition,
    desiredCount: svc.desiredCount,
    launchType: svc.launchType ?? "FARGATE",
    platformVersion: svc.platformVersion,
    networkConfiguration: svc.subnets
      ? {
          awsvpcConfiguration: {
            subnets: svc.subnets,
            securityGroups: svc.securityGroups,
            assignPublicIp: svc.assignPublicIp ?? "DISABLED",
          },
        }
      : undefined,
    loadBalancers: svc.loadBalancers?.map((lb) => ({
      targetGroupArn: tgArn(lb.targetGroup),
      containerName: lb.containerName,
      containerPort: lb.containerPort,
      ...(lb.alternateTargetGroup
        ? {
            advancedConfiguration: {
              alternateTargetGroupArn: tgArn(lb.alternateTargetGroup),
              productionListenerRule: ruleArns.get(lb.productionListenerRule ?? ""),
              ...(lb.testListenerRule ? { testListenerRule: ruleArns.get(lb.testListenerRule) } : {}),
              roleArn: lb.roleArn ?? `arn:aws:iam::${world.state.accountId}:role/ecsInfrastructureRole`,
            },
          }
        : {}),
    })),
    deploymentConfiguration: {
      minimumHealthyPercent: svc.minimumHealthyPercent,
      maximumPercent: svc.maximumPercent,
      deploymentCircuitBreaker: svc.circuitBreaker,
    },
    healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
  };
}

function asWorldError(source: string, path: string, f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (e instanceof SimError) throw new WorldFileError(source, [`${path}: ${e.code}: ${e.message}`]);
    throw e;
  }
}

/** A world file's alarm, in its declared state (OK unless said) since load. */
function addAlarm(state: WorldState, spec: AlarmSpec, now: number): void {
  state.alarms.put(
    {
      name: spec.name,
      description: spec.description,
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensions: Object.entries(spec.dimensions ?? {}).map(([name, value]) => ({ name, value })),
      statistic: spec.statistic ?? "Average",
      period: spec.period ?? 60,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      threshold: spec.threshold,
      comparisonOperator: spec.comparisonOperator ?? "GreaterThanThreshold",
      actionsEnabled: true,
      ...(spec.trigger ? { trigger: spec.trigger } : {}),
    },
    now,
  );
  const declared = spec.state ?? "OK";
  state.alarms.setState(spec.name, declared, spec.stateReason ?? `Declared ${declared} in the world file`, now);
}
