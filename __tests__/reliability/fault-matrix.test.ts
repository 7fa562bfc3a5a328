/**
 * Every AWS operation a rollout makes × {throttling burst, 500, 503, dropped connection, 5 s latency} × every
 * phase it is called in (its first call there). The operations and phases come from a clean rollout's journal and
 * events, so a new call or phase in the engine joins the matrix by itself.
 */
import { afterAll, describe, expect, it } from "vitest";
import { rollout } from "../../src/engine/rollout.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import { run, snapshotService, succeeded } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { faultMatrix, type Site, sitesOf } from "./sites.js";
import { finish, tally } from "./tally.js";

tally.start("Fault matrix (rollout)");

async function sites(): Promise<Site[]> {
  const s = run();
  const result = await rollout(rolloutSettings(), s.deps);
  if (result.result !== "succeeded") throw new Error(`the clean rollout failed: ${result.message}`);
  return sitesOf(s.sim.journal.calls(), s.stamped);
}

const matrix = faultMatrix(await sites());
const outcomes = new Map<string, number>();

describe("a rollout under one transient fault", () => {
  afterAll(() => {
    tally.row("operations × phases", new Set(matrix.map((m) => `${m.operation}@${m.phase}`)).size);
    tally.row("operations", [...new Set(matrix.map((m) => m.operation))].sort().join(", "));
    tally.row("phases", [...new Set(matrix.map((m) => m.phase))].join(", "));
    for (const [outcome, n] of [...outcomes].sort()) tally.row(`outcome: ${outcome}`, n);
    const stale = finish("fault-matrix", matrix.length);
    if (stale) throw new Error(stale);
  });

  it.each(matrix)("$operation in $phase, $fault: the canary is cleaned up and nothing is duplicated", async (m) => {
    const s = run();
    const before = await snapshotService(s);
    s.sim.journal.clear();
    s.sim.faults.add([{ service: m.service, operation: m.operation, after: m.after, ...m.rule }]);
    const start = s.sim.clock.now();
    const settings = rolloutSettings();
    const result = await rollout(settings, s.deps);
    const elapsed = s.sim.clock.now() - start;
    const injected = s.sim.journal.calls().filter((c) => c.fault).length;
    tally.scenario(injected);
    outcomes.set(result.result, (outcomes.get(result.result) ?? 0) + 1);

    expect(injected).toBeGreaterThan(0);
    expect(await checkInvariants(s, result, { before })).toEqual([]);
    // Bounded retries, inside the overall deadline, and a burst this short is absorbed.
    expect(elapsed).toBeLessThanOrEqual(settings.timeouts.overall);
    expect(result.result, result.message).toBe("succeeded");
    // Non-idempotent calls took effect once: one task definition, one canary, one deployment.
    expect(succeeded(s, "RegisterTaskDefinition")).toHaveLength(1);
    expect(succeeded(s, "RunTask")).toHaveLength(1);
    expect(succeeded(s, "UpdateService")).toHaveLength(1);
  });
});
