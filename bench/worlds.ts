/** The rollout benchmark's worlds: the demo world and the topologies issue 7 names, each with its deploy context. */
import { readFileSync } from "node:fs";
import type { CreateServiceRequest, RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import type { DeployContext } from "../src/context/types.js";
import { DEFAULT_TIMEOUTS, type RolloutSettings } from "../src/engine/settings.js";
import { createSimulator, type Simulator, type WorldLike } from "../src/sim/simulator.js";
import { type ServiceSpec, type TargetGroupSpec, WorldBuilder } from "../src/sim/world/index.js";

const DEMO = new URL("../deploy-example/world.json", import.meta.url).pathname;
const demoJson = (): unknown => JSON.parse(readFileSync(DEMO, "utf8"));

const ACCOUNT = "123456789012";
export const REPO = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/web`;
const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/web-tg/6d0ecf831eec9f09`;
const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
const VPC = "vpc-0a1b2c3d4e5f67890";
const TASK_SG = "sg-0123456789abcdef0";
const ALB_SG = "sg-0fedcba9876543210";
const INSTANCE = "i-0a1b2c3d4e5f60011";

/** A world to roll out on, and what a user would pass to `cage rollout` for it. */
export interface RolloutCase {
  name: string;
  /** What the world is, for the table. */
  about: string;
  variant?: string;
  change?: (b: WorldBuilder) => WorldBuilder;
  settings: RolloutSettings;
}

export function simulatorFor(c: Pick<RolloutCase, "variant" | "change">): Simulator {
  const base = WorldBuilder.from(demoJson(), c.variant);
  const builder = c.change ? c.change(base) : base;
  return createSimulator({ world: (clock) => builder.build(clock) as unknown as WorldLike });
}

function webServiceSpec(): ServiceSpec {
  const json = demoJson() as { services: ServiceSpec[] };
  return structuredClone(json.services.find((svc) => svc.serviceName === "web")) as ServiceSpec;
}

function webTaskDefinition(tag: string): RegisterTaskDefinitionRequest {
  const json = demoJson() as { taskDefinitions: RegisterTaskDefinitionRequest[] };
  const td = structuredClone(json.taskDefinitions.find((t) => t.family === "web")) as RegisterTaskDefinitionRequest;
  td.containerDefinitions = (td.containerDefinitions ?? []).map((c) =>
    c.name === "app" ? { ...c, image: `${REPO}:${tag}` } : c,
  );
  return td;
}

function webContext(service: Partial<CreateServiceRequest> = {}, taskDefinition = webTaskDefinition("v2")) {
  const context: DeployContext = {
    dir: "deploy",
    serviceFile: "deploy/service.json",
    service: {
      cluster: "production",
      serviceName: "web",
      desiredCount: 2,
      launchType: "FARGATE",
      networkConfiguration: {
        awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [TASK_SG], assignPublicIp: "DISABLED" },
      },
      loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "app", containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 30,
      ...service,
    },
    taskDefinitionFile: "deploy/task-definition.json",
    taskDefinition,
  };
  return context;
}

function settings(over: Partial<RolloutSettings> = {}): RolloutSettings {
  return {
    region: "us-east-1",
    cluster: "production",
    service: "web",
    context: webContext(),
    updateService: false,
    canaryTaskIdleDuration: 15_000,
    timeouts: DEFAULT_TIMEOUTS,
    onDeploymentFailure: "rollback",
    waitIfBusy: false,
    runId: "bench",
    ...over,
  };
}

const tgArn = (name: string, id: string) =>
  `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/${name}/${id}`;

/** `count` target groups in front of the web service (the first is the demo's web-tg). */
function targetGroups(count: number) {
  return (b: WorldBuilder) => {
    const names = ["web-tg"];
    for (let i = 1; i < count; i += 1) {
      const name = `web-tg-${i + 1}`;
      names.push(name);
      b.loadBalancer({ name: `web-lb-${i + 1}`, subnets: SUBNETS, securityGroups: [ALB_SG], scheme: "internal" });
      b.targetGroup({
        name,
        arn: tgArn(name, `00000000000000${i}${i}`),
        port: 8080,
        targetType: "ip",
        vpcId: VPC,
        loadBalancers: [`web-lb-${i + 1}`],
        healthCheck: { path: "/health", intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2 },
        deregistrationDelaySeconds: 10,
      });
    }
    const loadBalancers = names.map((targetGroup) => ({ targetGroup, containerName: "app", containerPort: 8080 }));
    return b.service({ ...webServiceSpec(), loadBalancers });
  };
}

function bridgeTaskDefinition(tag: string): RegisterTaskDefinitionRequest {
  const td = webTaskDefinition(tag);
  return {
    ...td,
    family: "web-ec2",
    networkMode: "bridge",
    requiresCompatibilities: ["EC2"],
    containerDefinitions: (td.containerDefinitions ?? []).map((c) =>
      c.name === "app"
        ? { ...c, memory: 512, portMappings: [{ containerPort: 8080, hostPort: 0 }] }
        : { ...c, memory: 128 },
    ),
  };
}

const ec2Bridge = (b: WorldBuilder) =>
  b
    .cluster({
      name: "production",
      containerInstances: [
        {
          instanceId: INSTANCE,
          subnetId: SUBNETS[0]!,
          securityGroups: ["sg-0e0e0e0e0e0e0e0e0"],
          cpu: 4096,
          memory: 7680,
        },
      ],
    })
    .securityGroup({
      groupId: "sg-0e0e0e0e0e0e0e0e0",
      vpcId: VPC,
      ingress: [{ protocol: "tcp", fromPort: 32768, toPort: 65535, sourceSecurityGroupId: ALB_SG }],
    })
    .targetGroup({
      name: "web-ec2-tg",
      arn: tgArn("web-ec2-tg", "1a2b3c4d5e6f7a8b"),
      port: 80,
      targetType: "instance",
      vpcId: VPC,
      loadBalancers: ["web-alb"],
      healthCheck: { path: "/health", intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3 },
      deregistrationDelaySeconds: 20,
    })
    .taskDefinition(bridgeTaskDefinition("v1"))
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

const web = (over: Partial<ServiceSpec>) => (b: WorldBuilder) => b.service({ ...webServiceSpec(), ...over });

/** The passing scenarios; the first is the default demo. */
export const PASSING: RolloutCase[] = [
  {
    name: "fargate-alb",
    about: "deploy-example/world.json: 2 Fargate tasks behind one ALB target group",
    settings: settings(),
  },
  {
    name: "two-target-groups",
    about: "the demo service behind two target groups",
    change: targetGroups(2),
    settings: settings(),
  },
  {
    name: "ec2-bridge",
    about: "EC2, bridge network mode, dynamic host ports, instance target group",
    change: ec2Bridge,
    settings: settings({
      service: "web-ec2",
      canaryInstanceArn: INSTANCE,
      context: {
        ...webContext(),
        service: { serviceName: "web-ec2", cluster: "production" },
        taskDefinition: bridgeTaskDefinition("v2"),
      },
    }),
  },
  {
    name: "no-load-balancer",
    about: "no load balancer: the canary must stay up 15 s (canary-task-idle-duration)",
    change: web({ loadBalancers: [] }),
    settings: settings({ context: webContext({ loadBalancers: [] }) }),
  },
  {
    name: "long-deregistration",
    about: "the demo with the ALB default deregistration delay of 300 s",
    change: (b) => b.targetGroup({ ...demoTargetGroup(), deregistrationDelaySeconds: 300 }),
    settings: settings(),
  },
  {
    name: "slow-start",
    about: "an app that boots in 90 s and turns healthy 60 s later",
    change: (b) => b.image(`${REPO}:v2`, { bootSeconds: 90, healthyAfterSeconds: 60 }),
    settings: settings(),
  },
];

function demoTargetGroup(): TargetGroupSpec {
  return (demoJson() as { targetGroups: TargetGroupSpec[] }).targetGroups[0]!;
}

/** The demo world's failing variants: where the canary fails and nothing should change. */
export const FAILING: RolloutCase[] = [
  "crash",
  "container-unhealthy",
  "target-unhealthy",
  "target-timeout",
  "pull-error",
].map((variant) => ({ name: variant, about: `deploy-example/world.json#${variant}`, variant, settings: settings() }));

/** The demo behind `count` target groups, for the cost model. */
export function withTargetGroups(count: number): RolloutCase {
  return { name: `${count} target group(s)`, about: "", change: targetGroups(count), settings: settings() };
}
