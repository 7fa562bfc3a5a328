/** The demo world in the simulator, and the deploy context a user would keep next to it. */
import { readFileSync } from "node:fs";
import type { CreateServiceRequest, RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import type { DeployContext } from "../../../src/context/types.js";
import { Timeline } from "../../../src/engine/events.js";
import { DEFAULT_TIMEOUTS, type EngineDeps, type RolloutSettings } from "../../../src/engine/settings.js";
import { CLI_NAMING } from "../../../src/inputs/naming.js";
import type { FaultRule } from "../../../src/sim/faults.js";
import { createSimulator, type Simulator, type WorldLike } from "../../../src/sim/simulator.js";
import { type ServiceSpec, type World, WorldBuilder } from "../../../src/sim/world/index.js";

const DEMO = new URL("../../../deploy-example/world.json", import.meta.url).pathname;
export const demoJson = (): unknown => JSON.parse(readFileSync(DEMO, "utf8"));

export const ACCOUNT = "123456789012";
export const REPO = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/web`;
export const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/web-tg/6d0ecf831eec9f09`;
export const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
export const TASK_SG = "sg-0123456789abcdef0";

/** The changes of a rollout stopped once its canary was in the target group: the canary taken out and stopped. */
export const CANARY_UNDONE = ["RegisterTaskDefinition", "RunTask", "RegisterTargets", "DeregisterTargets", "StopTask"];

/** Every call of an ELBv2 operation answered with an error the engine does not retry. */
export function elbv2Error(operation: string, code: string, status: number, message: string): FaultRule {
  return { service: "elbv2", operation, effect: "error", code, message, status };
}

export interface Scenario {
  sim: Simulator;
  world: World;
  timeline: Timeline;
  deps: EngineDeps;
}

/** The demo world (optionally a named variant, optionally changed) in an in-process simulator on virtual time. */
export function scenario(variant?: string, change?: (b: WorldBuilder) => WorldBuilder): Scenario {
  return scenarioOf(demoJson(), variant, change);
}

/** A world file's JSON (optionally a named variant, optionally changed) in an in-process simulator. */
export function scenarioOf(json: unknown, variant?: string, change?: (b: WorldBuilder) => WorldBuilder): Scenario {
  const base = WorldBuilder.from(json, variant);
  const builder = change ? change(base) : base;
  let world: World | undefined;
  const sim = createSimulator({
    world: (clock) => {
      world = builder.build(clock);
      return world as unknown as WorldLike;
    },
  });
  const timeline = new Timeline();
  return {
    sim,
    world: world as unknown as World,
    timeline,
    deps: { aws: sim.ports("us-east-1"), clock: sim.clock, events: timeline.sink, naming: CLI_NAMING },
  };
}

/** The demo world's declaration of the web service, to change one thing in it. */
export function webServiceSpec(): ServiceSpec {
  const json = demoJson() as { services: ServiceSpec[] };
  return structuredClone(json.services.find((svc) => svc.serviceName === "web")) as ServiceSpec;
}

/** task-definition.json: the demo's web task definition with the app image at `tag`. */
export function webTaskDefinition(tag: string): RegisterTaskDefinitionRequest {
  const json = demoJson() as { taskDefinitions: RegisterTaskDefinitionRequest[] };
  const td = structuredClone(json.taskDefinitions.find((t) => t.family === "web")) as RegisterTaskDefinitionRequest;
  td.containerDefinitions = (td.containerDefinitions ?? []).map((c) =>
    c.name === "app" ? { ...c, image: `${REPO}:${tag}` } : c,
  );
  return td;
}

/** The web task definition for EC2 in bridge mode: the app on dynamic host ports, memory set per container. */
export function bridgeTaskDefinition(tag: string, containerPorts = [8080]): RegisterTaskDefinitionRequest {
  const td = webTaskDefinition(tag);
  return {
    ...td,
    family: "web-ec2",
    networkMode: "bridge",
    requiresCompatibilities: ["EC2"],
    containerDefinitions: (td.containerDefinitions ?? []).map((c) =>
      c.name === "app"
        ? { ...c, memory: 512, portMappings: containerPorts.map((containerPort) => ({ containerPort, hostPort: 0 })) }
        : { ...c, memory: 128 },
    ),
  };
}

/** service.json: what `aws ecs create-service` would take for the demo's web service. */
export function webServiceJson(over: Partial<CreateServiceRequest> = {}): CreateServiceRequest {
  return {
    cluster: "production",
    serviceName: "web",
    desiredCount: 2,
    launchType: "FARGATE",
    networkConfiguration: {
      awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [TASK_SG], assignPublicIp: "DISABLED" },
    },
    loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "app", containerPort: 8080 }],
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    healthCheckGracePeriodSeconds: 30,
    ...over,
  };
}

export function webContext(tag: string, service: Partial<CreateServiceRequest> = {}): DeployContext {
  return {
    dir: "deploy",
    serviceFile: "deploy/service.json",
    service: webServiceJson(service),
    taskDefinitionFile: "deploy/task-definition.json",
    taskDefinition: webTaskDefinition(tag),
  };
}

export function rolloutSettings(over: Partial<RolloutSettings> = {}): RolloutSettings {
  return {
    region: "us-east-1",
    cluster: "production",
    service: "web",
    context: webContext("v2"),
    updateService: false,
    canaryTaskIdleDuration: 15_000,
    timeouts: DEFAULT_TIMEOUTS,
    onDeploymentFailure: "rollback",
    waitIfBusy: false,
    runId: "run-1",
    ...over,
  };
}

/** What the world looks like through the API after a command. */
export async function serviceState(s: Scenario, cluster = "production", service = "web") {
  const out = await s.deps.aws.ecs.describeServices({ cluster, services: [service] });
  const svc = out.services?.[0];
  const listed = await s.deps.aws.ecs.listTasks({ cluster, desiredStatus: "RUNNING" });
  const tasks = listed.taskArns?.length
    ? ((await s.deps.aws.ecs.describeTasks({ cluster, tasks: listed.taskArns })).tasks ?? [])
    : [];
  return {
    taskDefinition: svc?.taskDefinition,
    desiredCount: svc?.desiredCount,
    deployments: svc?.deployments ?? [],
    running: tasks.filter((t) => t.lastStatus !== "STOPPED"),
    canaries: tasks.filter((t) => t.group?.startsWith("cage:canary-task:") && t.lastStatus !== "STOPPED"),
  };
}

export async function targetsOf(s: Scenario, tg = TG_ARN) {
  const out = await s.deps.aws.elbv2.describeTargetHealth({ TargetGroupArn: tg });
  return (out.TargetHealthDescriptions ?? []).map((d) => ({
    id: d.Target?.Id,
    port: d.Target?.Port,
    state: d.TargetHealth?.State,
  }));
}

export function mutations(s: Scenario): string[] {
  return s.sim.journal.mutations().map((c) => c.operation);
}

export const EC2_INSTANCE = "i-0a1b2c3d4e5f60011";
export const EC2_TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-ec2-tg/1a2b3c4d5e6f7a8b";

/** The demo world plus an EC2 cluster: one container instance, a bridge-mode service `web-ec2` behind an instance target group. */
export const ec2BridgeWorld = (taskDefinition: RegisterTaskDefinitionRequest) => (b: WorldBuilder) =>
  b
    .merge({ variants: undefined })
    .cluster({
      name: "production",
      containerInstances: [
        {
          instanceId: EC2_INSTANCE,
          subnetId: "subnet-0a1b2c3d4e5f60001",
          securityGroups: ["sg-0e0e0e0e0e0e0e0e0"],
          cpu: 2048,
          memory: 7680,
        },
      ],
    })
    .securityGroup({
      groupId: "sg-0e0e0e0e0e0e0e0e0",
      vpcId: "vpc-0a1b2c3d4e5f67890",
      ingress: [{ protocol: "tcp", fromPort: 32768, toPort: 65535, sourceSecurityGroupId: "sg-0fedcba9876543210" }],
    })
    .targetGroup({
      name: "web-ec2-tg",
      arn: EC2_TG,
      port: 80,
      targetType: "instance",
      vpcId: "vpc-0a1b2c3d4e5f67890",
      loadBalancers: ["web-alb"],
      healthCheck: {
        path: "/health",
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      },
      deregistrationDelaySeconds: 20,
    })
    .taskDefinition(taskDefinition)
    .service({
      cluster: "production",
      serviceName: "web-ec2",
      taskDefinition: "web-ec2:1",
      desiredCount: 1,
      launchType: "EC2",
      loadBalancers: [{ targetGroup: "web-ec2-tg", containerName: "app", containerPort: 8080 }],
      minimumHealthyPercent: 0,
      maximumPercent: 100,
    });
