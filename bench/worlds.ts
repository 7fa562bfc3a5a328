/** The rollout benchmark's worlds: the demo world and the topologies issue 7 names, each with its deploy context. */
import {
  bridgeTaskDefinition,
  demoJson,
  EC2_INSTANCE,
  ec2BridgeWorld,
  REPO,
  rolloutSettings,
  SUBNETS,
  webContext,
  webServiceSpec,
} from "../__tests__/engine/scenarios/world.js";
import type { RolloutSettings } from "../src/engine/settings.js";
import { createSimulator, type Simulator, type WorldLike } from "../src/sim/simulator.js";
import { type ServiceSpec, type TargetGroupSpec, WorldBuilder } from "../src/sim/world/index.js";

export { REPO };

const ACCOUNT = "123456789012";
const VPC = "vpc-0a1b2c3d4e5f67890";
const ALB_SG = "sg-0fedcba9876543210";

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

function settings(over: Partial<RolloutSettings> = {}): RolloutSettings {
  return rolloutSettings({ runId: "bench", ...over });
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
    change: ec2BridgeWorld(bridgeTaskDefinition("v1")),
    settings: settings({
      service: "web-ec2",
      canaryInstanceArn: EC2_INSTANCE,
      context: {
        ...webContext("v2"),
        service: { serviceName: "web-ec2", cluster: "production" },
        taskDefinition: bridgeTaskDefinition("v2"),
      },
    }),
  },
  {
    name: "no-load-balancer",
    about: "no load balancer: the canary must stay up 15 s (canary-task-idle-duration)",
    change: web({ loadBalancers: [] }),
    settings: settings({ context: webContext("v2", { loadBalancers: [] }) }),
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

/** Several services rolled out at once (a monorepo's matrix job): each rollout and what it runs on. */
export interface ServicesCase {
  name: string;
  change: (b: WorldBuilder) => WorldBuilder;
  settings: RolloutSettings[];
}

/** The demo's web service plus `count - 1` copies, each behind its own load balancer and target group. */
export function withServices(count: number): ServicesCase {
  const copies = Array.from({ length: count - 1 }, (_, k) => {
    const name = `web-${k + 2}`;
    return { name, tg: `${name}-tg`, lb: `${name}-lb`, arn: tgArn(`${name}-tg`, `0000000000000${k + 2}a${k + 2}`) };
  });
  const change = (b: WorldBuilder) => {
    for (const c of copies) {
      b.loadBalancer({ name: c.lb, subnets: SUBNETS, securityGroups: [ALB_SG], scheme: "internal" });
      b.targetGroup({ ...demoTargetGroup(), name: c.tg, arn: c.arn, loadBalancers: [c.lb] });
      b.service({
        ...webServiceSpec(),
        serviceName: c.name,
        loadBalancers: [{ targetGroup: c.tg, containerName: "app", containerPort: 8080 }],
      });
    }
    return b;
  };
  const copiesSettings = copies.map((c) =>
    settings({
      service: c.name,
      runId: `bench-${c.name}`,
      context: webContext("v2", {
        serviceName: c.name,
        loadBalancers: [{ targetGroupArn: c.arn, containerName: "app", containerPort: 8080 }],
      }),
    }),
  );
  return { name: `${count} service(s)`, change, settings: [settings(), ...copiesSettings] };
}
