/** cage rollout of services ECS deploys natively: the canary in the live target group, out before the update. */
import { describe, expect, it } from "vitest";
import { cleanup } from "../../../src/engine/cleanup.js";
import { rollout } from "../../../src/engine/rollout.js";
import type { WorldBuilder } from "../../../src/sim/world/index.js";
import {
  currentDeployment,
  deployNatively,
  type NativeStrategy,
  nativeScenario,
  productionForward,
  productionWeights,
  STRATEGY_SETTINGS,
} from "../../fixtures/native-world.js";
import { cleanupSettings } from "../../reliability/commands.js";
import { killAt, type Run } from "../../reliability/harness.js";
import { BLUE_TG, GREEN_TG } from "../../sim/conformance/listener-world.js";
import {
  CANARY_UNDONE,
  elbv2Error,
  mutations,
  REPO,
  rolloutSettings,
  serviceState,
  targetsOf,
  webContext,
} from "./world.js";

const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
const WEB_2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2";

/** The target groups the canary was registered to and deregistered from, as the simulator received them. */
function canaryGroups(s: ReturnType<typeof nativeScenario>, operation: "RegisterTargets" | "DeregisterTargets") {
  return s.sim.journal.calls({ operation }).map((c) => (c.params as { TargetGroupArn: string }).TargetGroupArn);
}

describe("cage rollout of a BLUE_GREEN service after an odd number of native deployments", () => {
  /** With `builder`, web:1 is deployed again (forced), so web:2's image can be made to fail. */
  async function flipped(builder?: (b: WorldBuilder) => WorldBuilder) {
    const s = nativeScenario("BLUE_GREEN", undefined, builder);
    expect(await deployNatively(s, builder ? "web:1" : "web:2", !!builder)).toBe("SUCCESSFUL");
    // Production is now on the alternate group, while the service's loadBalancers still name web-tg.
    expect(await productionWeights(s)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    s.sim.journal.clear();
    return s;
  }

  it("registers the canary in the target group that carries production traffic, takes it out, then updates", async () => {
    const s = await flipped();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(canaryGroups(s, "RegisterTargets")).toEqual([GREEN_TG]);
    expect(canaryGroups(s, "DeregisterTargets")).toEqual([GREEN_TG]);
    // Deregistered, drained and stopped before UpdateService: ECS can neither shift it nor roll it back.
    expect(mutations(s)).toEqual([...CANARY_UNDONE, "UpdateService"]);
    const [update] = s.sim.journal.calls({ operation: "UpdateService" });
    expect(update?.params).toEqual({ cluster: "production", service: "web", taskDefinition: result.taskDefinitionArn });
    expect((await currentDeployment(s))?.status).toBe("SUCCESSFUL");
    expect(await productionWeights(s)).toEqual({ [BLUE_TG]: 100, [GREEN_TG]: 0 });
    expect((await serviceState(s)).canaries).toEqual([]);
  });

  it("leaves the service, its deployments and the listener rule unchanged when the canary fails", async () => {
    const s = await flipped((b) => b.image(`${REPO}:v2`, { appHealthCheck: "mismatch" }));
    const before = await currentDeployment(s);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.serviceChanged).toBe(false);
    expect(result.message).toContain("web-green");
    expect(mutations(s)).not.toContain("UpdateService");
    expect(canaryGroups(s, "RegisterTargets")).toEqual([GREEN_TG]);
    expect((await serviceState(s)).taskDefinition).toBe(WEB_1);
    expect((await currentDeployment(s))?.serviceDeploymentArn).toBe(before?.serviceDeploymentArn);
    expect(await productionWeights(s)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    // Once web-green's deregistration delay (30 s) has passed, only the service's two tasks are left there.
    await s.sim.clock.sleep(30_000);
    expect((await targetsOf(s, GREEN_TG)).map((t) => t.state)).toEqual(["healthy", "healthy"]);
  });

  it("does not update the service when taking the passed canary out fails", async () => {
    const s = await flipped();
    s.sim.faults.add([elbv2Error("DeregisterTargets", "AccessDenied", 403, "not authorized")]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.serviceChanged).toBe(false);
    expect(result.message).toContain("taking it out did not finish, so the service was not updated");
    expect(result.message).toContain("cage cleanup");
    expect(mutations(s)).not.toContain("UpdateService");
    expect((await serviceState(s)).taskDefinition).toBe(WEB_2);
  });

  it("with update-service sends service.json's settings but never loadBalancers, and keeps advancedConfiguration", async () => {
    const s = await flipped();
    const live = (await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
    const context = webContext("v2", {
      desiredCount: 3,
      deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 1 },
    });
    const result = await rollout(rolloutSettings({ context, updateService: true }), s.deps);
    expect(result.result).toBe("succeeded");
    const [update] = s.sim.journal.calls({ operation: "UpdateService" });
    expect(update?.params).toMatchObject({ taskDefinition: result.taskDefinitionArn, desiredCount: 3 });
    expect(update?.params).not.toHaveProperty("loadBalancers");
    const notices = s.timeline.events.flatMap((e) => (e.type === "notice" ? [e.message] : []));
    expect(notices.some((m) => m.includes("service.json's loadBalancers was not sent"))).toBe(true);
    const after = (await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
    expect(after?.loadBalancers).toEqual(live?.loadBalancers);
    expect(canaryGroups(s, "RegisterTargets")).toEqual([GREEN_TG]);
  });
});

describe.each(["BLUE_GREEN", "LINEAR", "CANARY"] as NativeStrategy[])("cage rollout of a %s service", (strategy) => {
  it("places the canary in the live group, then follows ECS's deployment until it is SUCCESSFUL", async () => {
    const s = nativeScenario(strategy);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(canaryGroups(s, "RegisterTargets")).toEqual([BLUE_TG]);
    const deployment = await currentDeployment(s);
    expect(deployment?.status).toBe("SUCCESSFUL");
    expect(result.serviceDeploymentArn).toBe(deployment?.serviceDeploymentArn);
    expect(deployment?.deploymentConfiguration).toMatchObject(STRATEGY_SETTINGS[strategy]);
    expect(await productionWeights(s)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    expect((await serviceState(s)).taskDefinition).toBe(result.taskDefinitionArn);
    expect(mutations(s).indexOf("StopTask")).toBeLessThan(mutations(s).indexOf("UpdateService"));
  });
});

describe("cage rollout of a BLUE_GREEN service whose deployment ECS rolls back", () => {
  it("fails, and the canary, gone before the update, does not come back with blue", async () => {
    const s = nativeScenario("BLUE_GREEN", (w) => {
      // Fires 90 s after the first v2 task runs: after the canary passed and was taken out, during ECS's deployment.
      w.alarms = [...(w.alarms ?? []), { name: "web-errors", trigger: { image: "web:v2", afterSeconds: 90 } }];
      w.services[0].alarms = { alarmNames: ["web-errors"], rollback: true };
    });
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("rolled-back");
    expect(result.message).toContain("alarm web-errors triggered");
    const deployment = await currentDeployment(s);
    expect(deployment?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(deployment?.alarms?.triggeredAlarmNames).toEqual(["web-errors"]);
    expect(await productionWeights(s)).toEqual({ [BLUE_TG]: 100, [GREEN_TG]: 0 });
    const canary = s.sim.journal.calls({ operation: "RegisterTargets" })[0]?.params as {
      Targets: { Id: string }[];
    };
    const ids = async (tg: string) => (await targetsOf(s, tg)).map((t) => t.id);
    expect(await ids(BLUE_TG)).not.toContain(canary.Targets[0]?.Id);
    expect(await ids(GREEN_TG)).not.toContain(canary.Targets[0]?.Id);
    expect((await serviceState(s)).canaries).toEqual([]);
  });
});

describe("cage rollout refuses a native service it cannot place a canary in honestly", () => {
  it.each([
    [
      "production weights split outside a deployment",
      productionForward(60, 40),
      "forwards to web-tg (weight 60) and web-green (weight 40), and no deployment is in progress",
    ],
    [
      "a production rule that disagrees with the current revision",
      productionForward(0, 100),
      "serves from target group web-tg, but production listener rule",
    ],
  ])("refuses %s before any change", async (_name, change, what) => {
    const s = nativeScenario("BLUE_GREEN", change);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("Service 'web'");
    expect(result.message).toContain(what);
    expect(result.message).toContain("aws elbv2 modify-rule --rule-arn");
    expect(mutations(s)).toEqual([]);
  });

  it("refuses while a native deployment is in flight, naming wait-if-busy", async () => {
    const s = nativeScenario("BLUE_GREEN", (w) => {
      w.services[0].deployment = { taskDefinition: "web:2", startedSecondsAgo: 30 };
    });
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("is busy");
    expect(result.message).toContain("--wait-if-busy");
    expect(mutations(s)).toEqual([]);
  });

  it("refuses while a native deployment rolls back", async () => {
    const s = nativeScenario("BLUE_GREEN");
    await s.deps.aws.ecs.updateService({ cluster: "production", service: "web", taskDefinition: "web:2" });
    await s.sim.clock.sleep(60_000);
    const arn = (await currentDeployment(s))?.serviceDeploymentArn as string;
    await s.deps.aws.ecs.stopServiceDeployment({ serviceDeploymentArn: arn, stopType: "ROLLBACK" });
    expect((await currentDeployment(s))?.status).toBe("ROLLBACK_IN_PROGRESS");
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("is busy");
    expect(mutations(s)).toEqual([]);
  });

  it("after ECS rolled a native deployment back, places the canary in the group production went back to", async () => {
    const s = nativeScenario("BLUE_GREEN");
    expect(await deployNatively(s, "web:2")).toBe("SUCCESSFUL");
    await s.deps.aws.ecs.updateService({ cluster: "production", service: "web", taskDefinition: "web:1" });
    await s.sim.clock.sleep(60_000);
    const arn = (await currentDeployment(s))?.serviceDeploymentArn as string;
    await s.deps.aws.ecs.stopServiceDeployment({ serviceDeploymentArn: arn, stopType: "ROLLBACK" });
    await s.sim.clock.sleep(600_000);
    expect((await currentDeployment(s))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(await productionWeights(s)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    const live = (await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services;
    // As configured: web-tg with web-green as its alternate, whichever of them production is on.
    expect(live?.[0]?.loadBalancers?.[0]).toMatchObject({
      targetGroupArn: BLUE_TG,
      advancedConfiguration: { alternateTargetGroupArn: GREEN_TG },
    });
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(canaryGroups(s, "RegisterTargets")).toEqual([GREEN_TG]);
  });

  it("waits for the native deployment in flight with wait-if-busy, then places the canary where it moved production", async () => {
    const s = nativeScenario("BLUE_GREEN", (w) => {
      w.services[0].deployment = { taskDefinition: "web:2", startedSecondsAgo: 30 };
    });
    const result = await rollout(rolloutSettings({ waitIfBusy: true }), s.deps);
    expect(result.result).toBe("succeeded");
    expect(canaryGroups(s, "RegisterTargets")).toEqual([GREEN_TG]);
    expect(await productionWeights(s)).toEqual({ [BLUE_TG]: 100, [GREEN_TG]: 0 });
  });
});

describe("cage cleanup of a native service", () => {
  it("finds a killed run's canary in the alternate target group and takes it out", async () => {
    const s = nativeScenario("BLUE_GREEN") as Run;
    s.stamped = [];
    expect(await deployNatively(s, "web:2")).toBe("SUCCESSFUL");
    await killAt(s, "target-health");
    expect((await targetsOf(s, GREEN_TG)).length).toBe(3);
    const result = await cleanup(cleanupSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    await s.sim.clock.sleep(30_000);
    expect((await targetsOf(s, GREEN_TG)).map((t) => t.state)).toEqual(["healthy", "healthy"]);
    expect((await serviceState(s)).canaries).toEqual([]);
  });
});
