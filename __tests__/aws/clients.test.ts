/**
 * Retries happen in one layer: the clients createAwsPorts builds send each request once, and the engine's backoff
 * (callAws: four retries, 1 s to 8 s apart) or the audit's limiter (eight retries) decides whether to try again.
 * Under a throttle that never stops, the simulator's journal holds at most that many tries of one call, not that
 * many times the SDK's own attempts.
 */
import { describe, expect, it } from "vitest";
import { audit } from "../../src/audit/index.js";
import { rollout } from "../../src/engine/rollout.js";
import type { CallRecord } from "../../src/sim/journal.js";
import { rolloutSettings, scenario } from "../engine/scenarios/world.js";

/** The engine tries a call at most this often: once, then four retries. */
const ENGINE_TRIES = 5;
/** The audit's limiter: once, then eight retries. */
const AUDIT_TRIES = 9;

/** How often each distinct request (same operation and parameters) was sent. */
function triesPerRequest(calls: readonly CallRecord[]): number[] {
  const tries = new Map<string, number>();
  for (const c of calls) {
    const key = `${c.operation} ${JSON.stringify(c.params)}`;
    tries.set(key, (tries.get(key) ?? 0) + 1);
  }
  return [...tries.values()];
}

describe("one retry layer, under a throttle that never stops", () => {
  it.each([
    ["DescribeServices", "a read"],
    ["RunTask", "a launch with a client token"],
    ["RegisterTaskDefinition", "a registration without one, checked before each new try"],
  ])("tries %s (%s) a bounded number of times, and more than once", async (operation) => {
    const s = scenario();
    s.sim.faults.add([{ service: "ecs", operation, effect: "throttle" }]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain(`ecs:${operation} failed: ThrottlingException`);
    const sent = s.sim.journal.calls({ operation });
    expect(sent.length).toBeGreaterThan(1);
    for (const tries of triesPerRequest(sent)) expect(tries).toBeLessThanOrEqual(ENGINE_TRIES);
  });

  it("tries an audit's ECR read a bounded number of times", async () => {
    const s = scenario();
    s.sim.faults.add([{ service: "ecr", operation: "DescribeImageScanFindings", effect: "throttle" }]);
    await audit(
      {
        targets: [{ region: "us-east-1", cluster: "production", service: "web" }],
        source: "running",
        scanWaitTimeout: 60_000,
      },
      { aws: s.sim.ports("us-east-1"), clock: s.sim.clock },
    );
    const sent = s.sim.journal.calls({ operation: "DescribeImageScanFindings" });
    expect(sent.length).toBeGreaterThan(1);
    for (const tries of triesPerRequest(sent)) expect(tries).toBeLessThanOrEqual(AUDIT_TRIES);
  });
});
