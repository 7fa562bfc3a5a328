/** ECS's native blue/green, linear and canary deployments in the simulated world, looked at every 5 seconds. */
import { describe, expect, it } from "vitest";
import { World, WorldBuilder } from "../../../src/sim/world/index.js";
import {
  BLUE_TG,
  GREEN_TG,
  listenerWorldJson,
  PROD_RULE,
  TEST_RULE,
  withWebV2,
} from "../conformance/listener-world.js";
import { Harness, T0 } from "./harness.js";

const web = { cluster: "production", service: "web" };
const advanced = {
  alternateTargetGroupArn: GREEN_TG,
  productionListenerRule: PROD_RULE,
  testListenerRule: TEST_RULE,
  roleArn: "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
};
const blueGreenLoadBalancers = [
  { targetGroupArn: BLUE_TG, containerName: "app", containerPort: 8080, advancedConfiguration: advanced },
];

function harness(): Harness {
  return new Harness(WorldBuilder.from(listenerWorldJson(withWebV2)));
}

function weights(h: Harness, rule: string): Record<string, number> {
  const [r] = h.call("elbv2", "DescribeRules", { RuleArns: [rule] }).Rules;
  return Object.fromEntries(r.Actions[0].ForwardConfig.TargetGroups.map((t: any) => [t.TargetGroupArn, t.Weight]));
}

function targets(h: Harness, tg: string): string[] {
  return h
    .call("elbv2", "DescribeTargetHealth", { TargetGroupArn: tg })
    .TargetHealthDescriptions.map((d: any) => d.TargetHealth.State);
}

/** Looks every 5 s until the deployment ends; returns each look. */
function follow(h: Harness, arn: string, maxSeconds = 7200) {
  const looks: { t: number; stage: string; status: string; prod: Record<string, number>; d: any }[] = [];
  for (let t = 0; t <= maxSeconds; t += 5) {
    const [d] = h.call("ecs", "DescribeServiceDeployments", { serviceDeploymentArns: [arn] }).serviceDeployments;
    looks.push({ t, stage: d.lifecycleStage, status: d.status, prod: weights(h, PROD_RULE), d });
    if (d.status !== "IN_PROGRESS") break;
    h.advance(5);
  }
  return looks;
}

const distinct = (xs: string[]) => xs.filter((x, i) => x !== xs[i - 1]);

describe("a BLUE_GREEN deployment", () => {
  it("scales green up in the alternate target group, shifts test then production traffic, bakes, cleans up blue", () => {
    const h = harness();
    const updated = h.call("ecs", "UpdateService", {
      ...web,
      taskDefinition: "web:2",
      loadBalancers: blueGreenLoadBalancers,
      deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 5 },
    }).service;
    expect(updated.deploymentConfiguration).toMatchObject({ strategy: "BLUE_GREEN", bakeTimeInMinutes: 5 });
    expect(updated.loadBalancers).toEqual(blueGreenLoadBalancers);
    const looks = follow(h, updated.currentServiceDeployment);
    const last = looks.at(-1)!;
    expect(last.status).toBe("SUCCESSFUL");
    expect(distinct(looks.map((l) => l.stage))).toEqual(["SCALE_UP", "BAKE_TIME", "CLEAN_UP"]);
    const shifted = looks.find((l) => l.stage === "BAKE_TIME")!;
    expect(shifted.prod).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    expect(shifted.d.targetServiceRevision).toMatchObject({
      requestedTaskCount: 2,
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 100,
      requestedTestTrafficWeight: 100,
    });
    expect(shifted.d.sourceServiceRevisions[0]).toMatchObject({
      requestedTaskCount: 2,
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 0,
    });
    const bake = looks.filter((l) => l.stage === "BAKE_TIME");
    expect(bake.at(-1)!.t - bake[0]!.t).toBeGreaterThanOrEqual(295);
    expect(weights(h, TEST_RULE)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    expect(targets(h, GREEN_TG)).toEqual(["healthy", "healthy"]);
    expect(targets(h, BLUE_TG)).not.toContain("healthy");
    const svc = h.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0];
    expect(svc.loadBalancers[0].targetGroupArn).toBe(BLUE_TG);
    const [revision] = h.call("ecs", "DescribeServiceRevisions", {
      serviceRevisionArns: [last.d.targetServiceRevision.arn],
    }).serviceRevisions;
    expect(revision.resolvedConfiguration.loadBalancers).toEqual([
      { targetGroupArn: GREEN_TG, productionListenerRule: PROD_RULE },
    ]);
  });

  it("flips the live target group back on the next deployment", () => {
    const h = harness();
    const config = { strategy: "BLUE_GREEN", bakeTimeInMinutes: 0 };
    const first = h.call("ecs", "UpdateService", {
      ...web,
      taskDefinition: "web:2",
      loadBalancers: blueGreenLoadBalancers,
      deploymentConfiguration: config,
    }).service;
    expect(follow(h, first.currentServiceDeployment).at(-1)!.status).toBe("SUCCESSFUL");
    h.advance(120);
    const second = h.call("ecs", "UpdateService", { ...web, taskDefinition: "web:1" }).service;
    const looks = follow(h, second.currentServiceDeployment);
    expect(looks.at(-1)!.status).toBe("SUCCESSFUL");
    expect(weights(h, PROD_RULE)).toEqual({ [BLUE_TG]: 100, [GREEN_TG]: 0 });
    expect(targets(h, BLUE_TG)).toEqual(["healthy", "healthy"]);
  });
});

describe.each([
  ["LINEAR", { linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 } }, [25, 50, 75, 100], 120],
  ["CANARY", { canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 } }, [10, 100], 180],
])("a %s deployment", (strategy, extra, steps, bakeSeconds) => {
  it(`shifts production through ${steps.join(", ")} percent with a bake of ${bakeSeconds} s between steps`, () => {
    const h = harness();
    const updated = h.call("ecs", "UpdateService", {
      ...web,
      taskDefinition: "web:2",
      loadBalancers: blueGreenLoadBalancers,
      deploymentConfiguration: { strategy, bakeTimeInMinutes: 1, ...extra },
    }).service;
    const looks = follow(h, updated.currentServiceDeployment);
    expect(looks.at(-1)!.status).toBe("SUCCESSFUL");
    const green = looks.map((l) => l.prod[GREEN_TG]!);
    expect(distinct(green.map(String)).map(Number)).toEqual([0, ...steps]);
    for (const step of steps.slice(0, -1)) {
      const held = looks.filter((l) => l.prod[GREEN_TG] === step);
      expect(held.at(-1)!.t - held[0]!.t).toBeGreaterThanOrEqual(bakeSeconds - 5);
      expect(held[0]!.stage).toBe("PRODUCTION_TRAFFIC_SHIFT");
    }
  });
});

/** The listener world's web service declared blue/green, with web:2 deploying since `startedSecondsAgo`. */
function declared(startedSecondsAgo: number, change: (svc: any) => void = () => {}): any {
  return listenerWorldJson((w) => {
    withWebV2(w);
    const svc = w.services[0];
    Object.assign(svc, { strategy: "BLUE_GREEN", bakeTimeInMinutes: 30 });
    Object.assign(svc.loadBalancers[0], {
      alternateTargetGroup: "web-green",
      productionListenerRule: "production",
      testListenerRule: "test",
    });
    svc.deployment = { taskDefinition: "web:2", startedSecondsAgo };
    change(svc);
  });
}

describe("a blue/green service in a world file", () => {
  it("loads in the middle of its native deployment: green in the alternate group, production on green, baking", () => {
    const h = new Harness(WorldBuilder.from(declared(300)));
    const svc = h.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0];
    expect(svc.deploymentConfiguration).toMatchObject({ strategy: "BLUE_GREEN", bakeTimeInMinutes: 30 });
    const [d] = h.call("ecs", "DescribeServiceDeployments", {
      serviceDeploymentArns: [svc.currentServiceDeployment],
    }).serviceDeployments;
    expect(d).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "BAKE_TIME" });
    expect(weights(h, PROD_RULE)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    expect(targets(h, GREEN_TG)).toEqual(["healthy", "healthy"]);
    expect(targets(h, BLUE_TG)).toEqual(["healthy", "healthy"]);
  });

  it.each([
    [
      "a rule name that no listener has",
      (svc: any) => {
        svc.loadBalancers[0].productionListenerRule = "prod";
      },
      '$.services[0].loadBalancers[0].productionListenerRule: no listener or rule is named "prod" in listeners; known: http, production, test',
    ],
    [
      "an alternate target group that is not declared",
      (svc: any) => {
        svc.loadBalancers[0].alternateTargetGroup = "web-blue";
      },
      '$.services[0].loadBalancers[0].alternateTargetGroup: target group "web-blue" is not declared in targetGroups',
    ],
  ])("refuses %s", (_name, change, problem) => {
    let problems: string[] = [];
    try {
      World.fromJson(declared(0, change), "worlds/bg.json", { clock: { now: () => T0 } });
    } catch (e) {
      problems = (e as { problems: string[] }).problems;
    }
    expect(problems).toContain(problem);
  });
});
