/**
 * SIGKILL of the main step at every phase: the process is gone mid-call, nothing of it runs again. The post step
 * (the engine's cleanup with the events the main step recorded, as the action saves them in its state) or
 * `cage cleanup` (by the canary's group, knowing nothing) removes what it left; the next rollout of the service
 * sees a leftover canary and refuses, saying how to remove it. Two rollouts at once: one proceeds.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cleanup } from "../../src/engine/cleanup.js";
import { rollout } from "../../src/engine/rollout.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import { cleanupSettings } from "./commands.js";
import { killAt, run, snapshotService } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { finish, headline, tally } from "./tally.js";

tally.start("Crashes and concurrent runs");

async function phases(): Promise<string[]> {
  const s = run();
  await rollout(rolloutSettings(), s.deps);
  const started = s.timeline.events.flatMap((e) => (e.type === "phase-started" ? [e.phase] : []));
  return [...new Set(started)].filter((p) => p !== "preflight");
}

const killPoints = await phases();
const recoveries = ["post step (recorded events)", "cage cleanup (by group)"] as const;
const matrix = killPoints.flatMap((at) => recoveries.map((by) => ({ at, by })));

describe("the main step killed", () => {
  afterAll(() => {
    const stale = finish("crashes", matrix.length + 3);
    if (stale) throw new Error(stale);
  });

  it.each(matrix)("killed at $at, the $by removes the leftover canary", async ({ at, by }) => {
    const s = run();
    const before = await snapshotService(s);
    s.sim.journal.clear();
    const recorded = await killAt(s, at);
    const settings = cleanupSettings(
      by.startsWith("post") ? { runId: "run-1", recorded, drain: false } : { drain: true },
    );
    const result = await cleanup(settings, s.deps);
    tally.scenario(0);
    expect(result.result, result.message).toBe("succeeded");
    const changed = s.sim.journal.calls().some((c) => c.operation === "UpdateService" && c.status === 200);
    // The killed run claimed nothing; what it changed is judged from the journal.
    const claimed = { result: "failed" as const, message: "killed", serviceChanged: changed };
    expect(await checkInvariants(s, claimed, { before, told: false })).toEqual([]);
  });

  it("the next rollout sees the leftover canary of a killed run and refuses, naming `cage cleanup`", async () => {
    const s = run();
    await killAt(s, "target-health");
    s.sim.journal.clear();
    const next = await rollout(rolloutSettings({ runId: "run-2" }), s.deps);
    tally.scenario(0);
    tally.row("next rollout after a kill", headline(next.message));
    expect(next.result).toBe("failed");
    expect(next.message).toContain("cage cleanup");
    expect(s.sim.journal.mutations()).toEqual([]);
  });

  it("two rollouts of the same service at once: one proceeds, the other refuses, the world ends consistent", async () => {
    const s = run();
    const before = await snapshotService(s);
    s.sim.journal.clear();
    const [a, b] = await Promise.all([
      rollout(rolloutSettings({ runId: "run-a" }), s.deps),
      rollout(rolloutSettings({ runId: "run-b" }), s.deps),
    ]);
    tally.scenario(0);
    const results = [a, b].map((r) => r.result).sort();
    tally.row("two rollouts at once", results.join(" + "));
    const loser = a.result === "succeeded" ? b : a;
    tally.row("the second rollout says", headline(loser.message));
    expect(results).toEqual(["failed", "succeeded"]);
    expect(s.sim.journal.calls({ operation: "UpdateService" }).filter((c) => c.status === 200)).toHaveLength(1);
    const winner = a.result === "succeeded" ? a : b;
    expect(await checkInvariants(s, winner, { before })).toEqual([]);
  });

  it("two rollouts at once with wait-if-busy: both end consistent, one after the other", async () => {
    const s = run();
    const before = await snapshotService(s);
    s.sim.journal.clear();
    const [a, b] = await Promise.all([
      rollout(rolloutSettings({ runId: "run-a", waitIfBusy: true }), s.deps),
      rollout(rolloutSettings({ runId: "run-b", waitIfBusy: true }), s.deps),
    ]);
    tally.scenario(0);
    tally.row("two rollouts at once, wait-if-busy", [a, b].map((r) => r.result).join(" + "));
    const last = [a, b].find((r) => r.result === "succeeded");
    expect(last).toBeDefined();
    expect(await checkInvariants(s, last ?? a, { before })).toEqual([]);
  });
});
