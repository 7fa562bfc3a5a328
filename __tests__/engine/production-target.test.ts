/** Which target group of a blue/green pair carries production traffic, and when cage refuses to guess. */
import type { Service, ServiceRevision } from "@aws-sdk/client-ecs";
import type { Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { nativeBusyReason } from "../../src/engine/native-busy.js";
import {
  forwardWeights,
  productionLoadBalancers,
  resolveProductionLoadBalancers,
} from "../../src/engine/production-target.js";
import { openSession } from "../../src/engine/session.js";
import { DEFAULT_TIMEOUTS } from "../../src/engine/settings.js";
import { currentDeployment, nativeScenario } from "../fixtures/native-world.js";
import { NLB_LISTENER, nlbScenario } from "../fixtures/nlb-world.js";
import { BLUE_TG, GREEN_TG, PROD_RULE } from "../sim/conformance/listener-world.js";

const entry = {
  targetGroupArn: BLUE_TG,
  containerName: "app",
  containerPort: 8080,
  advancedConfiguration: { alternateTargetGroupArn: GREEN_TG, productionListenerRule: PROD_RULE, roleArn: "r" },
};
const service: Service = { serviceName: "web", loadBalancers: [entry] };
const rule = (blue: number, green: number): Rule => ({
  RuleArn: PROD_RULE,
  Actions: [
    {
      Type: "forward",
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: BLUE_TG, Weight: blue },
          { TargetGroupArn: GREEN_TG, Weight: green },
        ],
      },
    },
  ],
});
const revisionOn = (tg: string): ServiceRevision => ({
  serviceRevisionArn: "arn:aws:ecs:us-east-1:123456789012:service-revision/production/web/1",
  resolvedConfiguration: { loadBalancers: [{ targetGroupArn: tg, productionListenerRule: PROD_RULE }] },
});
const rules = (r: Rule) => new Map([[PROD_RULE, r]]);

describe("forwardWeights", () => {
  it("reads a weighted forward, and a plain forward to one group as that group alone", () => {
    expect([...forwardWeights(rule(0, 100))]).toEqual([
      [BLUE_TG, 0],
      [GREEN_TG, 100],
    ]);
    expect([...forwardWeights({ Actions: [{ Type: "forward", TargetGroupArn: GREEN_TG }] })]).toEqual([[GREEN_TG, 1]]);
  });
});

describe("productionLoadBalancers", () => {
  it.each([
    ["the primary", rule(100, 0), BLUE_TG],
    ["the alternate", rule(0, 100), GREEN_TG],
  ])("points the entry at %s when production is there and the revision agrees", (_n, r, tg) => {
    expect(productionLoadBalancers(service, revisionOn(tg), rules(r))).toEqual([{ ...entry, targetGroupArn: tg }]);
  });

  it("leaves entries without advancedConfiguration as they are", () => {
    const plain = { targetGroupArn: BLUE_TG, containerName: "app", containerPort: 8080 };
    expect(productionLoadBalancers({ serviceName: "web", loadBalancers: [plain] }, undefined, new Map())).toEqual([
      plain,
    ]);
  });

  it.each([
    ["split weights", rule(50, 50), revisionOn(BLUE_TG), "forwards to web-tg (weight 50) and web-green (weight 50)"],
    ["no weight on either", rule(0, 0), revisionOn(BLUE_TG), "no single target group carries production traffic"],
    ["a revision on the other group", rule(100, 0), revisionOn(GREEN_TG), "serves from target group web-green"],
    [
      "a gateway connector",
      rule(100, 0),
      { ...revisionOn(BLUE_TG), gatewayConnectors: [{}] } as ServiceRevision,
      "is attached to a gateway (gatewayConnectors)",
    ],
    [
      "ECS-managed resources",
      rule(100, 0),
      { ...revisionOn(BLUE_TG), ecsManagedResources: {} } as ServiceRevision,
      "has ecsManagedResources: ECS manages its target groups",
    ],
  ])("refuses %s in preflight, naming the service and the fix", (_n, r, revision, what) => {
    let error: any;
    try {
      productionLoadBalancers(service, revision, rules(r));
    } catch (e) {
      error = e;
    }
    expect(error?.kind).toBe("refused");
    expect(error?.phase).toBe("preflight");
    expect(error?.what).toContain("Service 'web'");
    expect(error?.what).toContain(what);
    expect(error?.fix).toBeTruthy();
  });
});

describe("resolveProductionLoadBalancers", () => {
  it("reads a Network Load Balancer listener's default action with DescribeListeners, never DescribeRules", async () => {
    const s = nlbScenario();
    const session = openSession(s.deps, DEFAULT_TIMEOUTS.overall);
    const { services } = await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] });
    const placed = await resolveProductionLoadBalancers(session, services?.[0] ?? {});
    expect(placed.map((lb) => lb.targetGroupArn)).toEqual([BLUE_TG]);
    expect(s.sim.journal.calls({ operation: "DescribeListeners" }).map((c) => c.params)).toEqual([
      { ListenerArns: [NLB_LISTENER] },
    ]);
    expect(s.sim.journal.calls({ operation: "DescribeRules" })).toEqual([]);
  });

  it("refuses split weights on an NLB listener, naming modify-listener as the fix", async () => {
    const s = nlbScenario((w) => {
      w.listeners[0].forward = [
        { targetGroup: "web-tg", weight: 50 },
        { targetGroup: "web-green", weight: 50 },
      ];
    });
    const session = openSession(s.deps, DEFAULT_TIMEOUTS.overall);
    const { services } = await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] });
    const error: any = await resolveProductionLoadBalancers(session, services?.[0] ?? {}).catch((e) => e);
    expect(error?.kind).toBe("refused");
    expect(error?.what).toContain(`production listener ${NLB_LISTENER} forwards to web-tg (weight 50)`);
    expect(error?.fix).toContain(`aws elbv2 modify-listener --listener-arn ${NLB_LISTENER}`);
  });
});

describe("nativeBusyReason", () => {
  it("names the service deployment in flight, and nothing once it has ended", async () => {
    const s = nativeScenario("BLUE_GREEN");
    const session = openSession(s.deps, DEFAULT_TIMEOUTS.overall);
    const target = { region: "us-east-1", cluster: "production", service: "web" };
    expect(await nativeBusyReason(session, target)).toBeUndefined();
    await s.deps.aws.ecs.updateService({ cluster: "production", service: "web", taskDefinition: "web:2" });
    const arn = (await currentDeployment(s))?.serviceDeploymentArn;
    expect(await nativeBusyReason(session, target)).toBe(`a service deployment is in flight: ${arn} (IN_PROGRESS)`);
    await s.deps.aws.ecs.stopServiceDeployment({ serviceDeploymentArn: arn, stopType: "ROLLBACK" });
    expect(await nativeBusyReason(session, target)).toContain("(ROLLBACK_IN_PROGRESS)");
    await s.sim.clock.sleep(600_000);
    expect((await currentDeployment(s))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(await nativeBusyReason(session, target)).toBeUndefined();
  });
});
