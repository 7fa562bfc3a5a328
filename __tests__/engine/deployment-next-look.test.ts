/** The follow of a native deployment looks again when a bake ends, and often while a hook runs or it rolls back. */
import { describe, expect, it } from "vitest";
import { ENDING_POLL_MS } from "../../src/engine/deployment-next-look.js";
import { deploymentPollMs } from "../../src/engine/deployment-watch.js";
import { rollout } from "../../src/engine/rollout.js";
import { currentDeployment, LAMBDA_HOOK, nativeScenario, STRATEGY_SETTINGS } from "../fixtures/native-world.js";
import { rolloutSettings, webContext } from "./scenarios/world.js";

/** When the engine read the deployment, in virtual ms. */
const looks = (s: ReturnType<typeof nativeScenario>) =>
  s.sim.journal.calls({ operation: "DescribeServiceDeployments" }).map((c) => c.time);

describe("following a native deployment", () => {
  it("reads a LINEAR deployment again when the bake it saw begin ends, not an interval later", async () => {
    const s = nativeScenario("LINEAR");
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    const firstSeen = (stage: string) =>
      s.timeline.events.find((e) => e.type === "service-deployment" && e.lifecycleStage === stage)?.at ?? Number.NaN;
    // The final bake is 1 min; after 3 min of following, the usual interval would be 12 s.
    expect(deploymentPollMs(180_000)).toBe(12_000);
    const bake = firstSeen("CLEAN_UP") - firstSeen("BAKE_TIME");
    expect(bake).toBeGreaterThanOrEqual(60_000);
    expect(bake).toBeLessThanOrEqual(60_250);
    expect((await currentDeployment(s))?.status).toBe("SUCCESSFUL");
  });

  it("reads every 2 s while a Lambda hook runs, so its failure and rollback are seen within 2 s", async () => {
    const s = nativeScenario("LINEAR", (w) => {
      w.lambdas = { "web-check": { outcome: "FAILED", seconds: 10 } };
    });
    const deploymentConfiguration = { strategy: "LINEAR", ...STRATEGY_SETTINGS.LINEAR, lifecycleHooks: [LAMBDA_HOOK] };
    const context = webContext("v2", { deploymentConfiguration } as never);
    const result = await rollout(rolloutSettings({ updateService: true, context }), s.deps);
    expect(result.result).toBe("rolled-back");
    const d = await currentDeployment(s);
    expect(d?.status).toBe("ROLLBACK_SUCCESSFUL");
    const finished = d?.finishedAt?.getTime() ?? Number.NaN;
    const times = looks(s);
    const last = times.at(-1) ?? Number.NaN;
    expect(last - finished).toBeGreaterThanOrEqual(0);
    expect(last - finished).toBeLessThanOrEqual(ENDING_POLL_MS);
    // The hook ran 10 s: the looks in the 10 s before the end are 2 s apart at most.
    const during = times.filter((t) => t >= finished - 10_000);
    expect(during.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < during.length; i += 1) expect(during[i]! - during[i - 1]!).toBeLessThanOrEqual(ENDING_POLL_MS);
  });
});
