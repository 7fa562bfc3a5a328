/** Each native invariant, fed a world or journal broken on purpose, reports the violation. */
import { describe, expect, it } from "vitest";
import { GREEN_TG } from "../sim/conformance/listener-world.js";
import { NATIVE_CASES, type NativeCase } from "./native-cases.js";
import {
  continuedOnlyByContinue,
  deploymentsOf,
  nativeWorldOf,
  noCanaryInAnyGroup,
  noUpdateDuringNativeDeployment,
  resultMatchesNativeWorld,
} from "./native-invariants.js";

const cased = (name: string) => NATIVE_CASES[name] as NativeCase;

async function ran(name: string) {
  const c = cased(name);
  const s = await c.setup();
  s.sim.journal.clear();
  const result = await c.go(s);
  return { s, result, aws: s.sim.ports("us-east-1", { maxAttempts: 1 }) };
}

describe("the native invariants catch what they guard against", () => {
  it("invariant 7: a canary target left in the idle target group", async () => {
    const { s, aws } = await ran("rollout, BLUE_GREEN");
    const calls = s.sim.journal.calls();
    expect(await noCanaryInAnyGroup(aws, calls)).toEqual([]);
    const [registered] = calls.filter((c) => c.operation === "RegisterTargets");
    const targets = ((registered?.params ?? {}) as { Targets: { Id: string; Port?: number }[] }).Targets;
    expect(targets?.length).toBeGreaterThan(0);
    await aws.elbv2.registerTargets({ TargetGroupArn: GREEN_TG, Targets: targets });
    expect(await noCanaryInAnyGroup(aws, calls)).toEqual([expect.stringContaining(GREEN_TG)]);
  });

  it("invariant 8: an UpdateService sent while a BLUE_GREEN deployment is in flight", async () => {
    const { s, aws } = await ran("continue a paused deployment");
    await aws.ecs.updateService({ cluster: "production", service: "web", taskDefinition: "web:1" });
    await s.sim.clock.advance(5_000);
    await aws.ecs.updateService({ cluster: "production", service: "web", taskDefinition: "web:2" });
    const problems = noUpdateDuringNativeDeployment(
      s.sim.journal.calls(),
      await deploymentsOf(aws, "production", "web"),
      "web",
    );
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^UpdateService \(call \d+\) sent while .* was IN_PROGRESS$/)]),
    );
  });

  it("invariant 9: a rollout that continues a paused deployment", async () => {
    const { s, aws } = await ran("rollout to a PAUSE hook, wait-until paused");
    const arn = (await deploymentsOf(aws, "production", "web")).at(-1);
    const hookId = arn?.lifecycleHookDetails?.find((h) => h.status === "AWAITING_ACTION")?.hookId;
    expect(continuedOnlyByContinue(s.sim.journal.calls(), "rollout")).toEqual([]);
    await aws.ecs.continueServiceDeployment({ serviceDeploymentArn: arn?.serviceDeploymentArn, hookId });
    expect(continuedOnlyByContinue(s.sim.journal.calls(), "rollout")).toHaveLength(1);
    expect(continuedOnlyByContinue(s.sim.journal.calls(), "continue")).toEqual([]);
  });

  it("invariant 10: a result that does not match the deployment read back", async () => {
    const paused = await ran("rollout to a PAUSE hook, wait-until paused");
    const world = await nativeWorldOf(paused.aws, paused.result, "production", "web");
    expect(resultMatchesNativeWorld(paused.result, "rollout", world, { waitUntil: "paused" })).toEqual([]);
    const claimed = { ...paused.result, result: "succeeded" as const };
    expect(resultMatchesNativeWorld(claimed, "rollout", world)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^succeeded, but .* is IN_PROGRESS/)]),
    );
    const rolled = await ran("rollback a deployment in progress");
    const back = await nativeWorldOf(rolled.aws, rolled.result, "production", "web");
    expect(resultMatchesNativeWorld(rolled.result, "rollback", back)).toEqual([]);
    const asPaused = { ...rolled.result, result: "paused" as const };
    expect(resultMatchesNativeWorld(asPaused, "rollback", back)).toEqual([
      expect.stringMatching(/^paused, but .* is ROLLBACK_SUCCESSFUL with no hook awaiting action/),
    ]);
    const exitWrong = { ...rolled.result, result: "failed" as const, exitCode: 0 };
    expect(resultMatchesNativeWorld(exitWrong, "rollback", back)).toContain("exit code 0 for a failed rollback");
  });
});
