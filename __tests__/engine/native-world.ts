/** A simulated world with blue/green target groups and listener rules, and updateAndFollow run below preflight. */
import type { DeploymentConfiguration, LoadBalancer } from "@aws-sdk/client-ecs";
import { updateAndFollow } from "../../src/engine/deployment.js";
import { Timeline } from "../../src/engine/events.js";
import { openSession } from "../../src/engine/session.js";
import { DEFAULT_TIMEOUTS, type Timeouts } from "../../src/engine/settings.js";
import { CLI_NAMING } from "../../src/inputs/naming.js";
import { createSimulator, type WorldLike } from "../../src/sim/simulator.js";
import { WorldBuilder } from "../../src/sim/world/index.js";
import {
  BLUE_TG,
  GREEN_TG,
  listenerWorldJson,
  PROD_RULE,
  TEST_RULE,
  withWebV2,
} from "../sim/conformance/listener-world.js";

export const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
export const WEB_2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2";
export const target = { region: "us-east-1", cluster: "production", service: "web" };
export const blueGreen: LoadBalancer[] = [
  {
    targetGroupArn: BLUE_TG,
    containerName: "app",
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: GREEN_TG,
      productionListenerRule: PROD_RULE,
      testListenerRule: TEST_RULE,
      roleArn: "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
    },
  },
];
export const pauseHook = {
  targetType: "PAUSE" as const,
  lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT" as const],
  timeoutConfiguration: { timeoutInMinutes: 30, action: "ROLLBACK" as const },
};

export function world(change: (w: any) => void = () => {}) {
  const json = listenerWorldJson((w) => {
    withWebV2(w);
    change(w);
  });
  const sim = createSimulator({ world: (clock) => WorldBuilder.from(json).build(clock) as unknown as WorldLike });
  const timeline = new Timeline();
  const deps = { aws: sim.ports("us-east-1"), clock: sim.clock, events: timeline.sink, naming: CLI_NAMING };
  return { sim, timeline, deps };
}
export type World = ReturnType<typeof world>;

export interface Deploy {
  config?: DeploymentConfiguration;
  loadBalancers?: LoadBalancer[];
  waitUntil?: "deployed" | "traffic-shifted" | "paused";
  timeouts?: Partial<Timeouts>;
  onDeploymentFailure?: "rollback" | "leave";
}

export async function deploy(s: World, d: Deploy = {}) {
  const session = openSession(s.deps, DEFAULT_TIMEOUTS.overall);
  const previous = (await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
  const input = {
    cluster: "production",
    service: "web",
    taskDefinition: WEB_2,
    ...(d.config ? { deploymentConfiguration: d.config } : {}),
    ...(d.loadBalancers ? { loadBalancers: d.loadBalancers } : {}),
  };
  return updateAndFollow(session, {
    target,
    taskDefinitionArn: WEB_2,
    plan: { input, fields: [], notices: [] },
    previous: previous ?? {},
    timeouts: { ...DEFAULT_TIMEOUTS, ...d.timeouts },
    onDeploymentFailure: d.onDeploymentFailure ?? "rollback",
    ...(d.waitUntil ? { waitUntil: d.waitUntil } : {}),
  });
}

export async function serviceDeployment(s: World, arn: string | undefined) {
  const out = await s.deps.aws.ecs.describeServiceDeployments({ serviceDeploymentArns: [arn ?? "none"] });
  return out.serviceDeployments?.[0];
}

export const calls = (s: World, operation: string) => s.sim.journal.calls({ operation });
