/** The listener world's web service deployed by ECS natively (BLUE_GREEN, LINEAR or CANARY), in the simulator. */
import type { Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Timeline } from "../../../src/engine/events.js";
import { CLI_NAMING } from "../../../src/inputs/naming.js";
import { createSimulator, type WorldLike } from "../../../src/sim/simulator.js";
import { type World, WorldBuilder } from "../../../src/sim/world/index.js";
import { listenerWorldJson, PROD_RULE, withWebV2 } from "../../sim/conformance/listener-world.js";
import type { Scenario } from "./world.js";

export type NativeStrategy = "BLUE_GREEN" | "LINEAR" | "CANARY";

/** Short bakes, so a whole native deployment takes minutes of virtual time. */
export const STRATEGY_SETTINGS: Record<NativeStrategy, object> = {
  BLUE_GREEN: { bakeTimeInMinutes: 1 },
  LINEAR: { bakeTimeInMinutes: 1, linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 } },
  CANARY: { bakeTimeInMinutes: 1, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 } },
};

/**
 * The web service declared with `strategy` over the pair web-tg / web-green and the production and test rules
 * (web:2 registered too); `change` edits the world JSON, `builder` the builder.
 */
export function nativeScenario(
  strategy: NativeStrategy,
  change: (world: any) => void = () => {},
  builder: (b: WorldBuilder) => WorldBuilder = (b) => b,
): Scenario {
  const json = listenerWorldJson((w) => {
    withWebV2(w);
    const svc = w.services[0];
    Object.assign(svc, { strategy, ...STRATEGY_SETTINGS[strategy] });
    Object.assign(svc.loadBalancers[0], {
      alternateTargetGroup: "web-green",
      productionListenerRule: "production",
      testListenerRule: "test",
    });
    change(w);
  });
  const built = builder(WorldBuilder.from(json));
  let world: World | undefined;
  const sim = createSimulator({
    world: (clock) => {
      world = built.build(clock);
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

/** The service's newest service deployment, as ECS reports it. */
export async function currentDeployment(s: Scenario) {
  const { services } = await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] });
  const arn = services?.[0]?.currentServiceDeployment;
  const out = await s.deps.aws.ecs.describeServiceDeployments({ serviceDeploymentArns: arn ? [arn] : [] });
  return out.serviceDeployments?.[0];
}

/** ECS deploys `taskDefinition` natively, as a user's UpdateService would, and the test waits until it ends. */
export async function deployNatively(s: Scenario, taskDefinition: string, force = false): Promise<string | undefined> {
  await s.deps.aws.ecs.updateService({
    cluster: "production",
    service: "web",
    taskDefinition,
    ...(force ? { forceNewDeployment: true } : {}),
  });
  for (let i = 0; i < 720; i++) {
    const d = await currentDeployment(s);
    if (d?.status !== "IN_PROGRESS" && d?.status !== "PENDING") return d?.status;
    await s.sim.clock.sleep(5_000);
  }
  return "never ended";
}

/** Target group ARN → weight on the production rule. */
export async function productionWeights(s: Scenario): Promise<Record<string, number>> {
  const out = await s.deps.aws.elbv2.describeRules({ RuleArns: [PROD_RULE] });
  const rule = out.Rules?.[0] as Rule;
  return Object.fromEntries(
    (rule.Actions?.[0]?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn, t.Weight]),
  );
}

/** Sets the production rule's forward weights in the world file (a listener rule as some operator left it). */
export const productionForward = (blue: number, green: number) => (w: any) => {
  const rule = w.listeners[0].rules.find((r: any) => r.name === "production");
  rule.forward = [
    { targetGroup: "web-tg", weight: blue },
    { targetGroup: "web-green", weight: green },
  ];
};
