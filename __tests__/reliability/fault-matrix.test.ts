/**
 * Every AWS operation a rollout makes × {throttling burst, 500, 503, dropped connection, 5 s latency} × the first
 * and the last phase it is called in. The operations and phases come from a clean rollout's journal, so a new
 * call in the engine joins the matrix by itself.
 */
import { afterAll, describe, expect, it } from "vitest";
import { rollout } from "../../src/engine/rollout.js";
import type { FaultRule } from "../../src/sim/faults.js";
import type { ServiceId } from "../../src/sim/types.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import { type Run, run, snapshotService, succeeded } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { finish, tally } from "./tally.js";

tally.start("Fault matrix (rollout)");

const EFFECTS: Record<string, Omit<FaultRule, "service" | "operation">> = {
  "throttling burst": { effect: "throttle", count: 3 },
  "500 x2": { effect: "serverError", count: 2 },
  "503 x2": { effect: "unavailable", count: 2 },
  "dropped connection": { effect: "drop", count: 1 },
  "5 s latency": { effect: "latency", latencyMs: 5000, count: 1 },
};

function phaseOf(s: Run, seq: number): string {
  let phase = "preflight";
  for (const { event, calls } of s.stamped) {
    if (calls >= seq) break;
    if (event.type === "phase-started") phase = event.phase;
  }
  return phase;
}

interface Site {
  service: ServiceId;
  operation: string;
  /** Calls of the operation before this one. */
  after: number;
  phase: string;
}

async function sites(): Promise<Site[]> {
  const s = run();
  const result = await rollout(rolloutSettings(), s.deps);
  if (result.result !== "succeeded") throw new Error(`the clean rollout failed: ${result.message}`);
  const byOp = new Map<string, { service: ServiceId; seqs: number[] }>();
  for (const c of s.sim.journal.calls()) {
    if (c.service === "unknown") continue;
    const entry = byOp.get(c.operation) ?? { service: c.service, seqs: [] };
    entry.seqs.push(c.seq);
    byOp.set(c.operation, entry);
  }
  const out: Site[] = [];
  for (const [operation, { service, seqs }] of byOp) {
    const first = { service, operation, after: 0, phase: phaseOf(s, seqs[0] as number) };
    out.push(first);
    const lastPhase = phaseOf(s, seqs[seqs.length - 1] as number);
    if (lastPhase !== first.phase) out.push({ service, operation, after: seqs.length - 1, phase: lastPhase });
  }
  return out;
}

const matrix = (await sites()).flatMap((site) =>
  Object.entries(EFFECTS).map(([fault, rule]) => ({ ...site, fault, rule })),
);
const outcomes = new Map<string, number>();

describe("a rollout under one transient fault", () => {
  afterAll(() => {
    tally.row("operations × phases", new Set(matrix.map((m) => `${m.operation}@${m.phase}`)).size);
    tally.row("operations", [...new Set(matrix.map((m) => m.operation))].sort().join(", "));
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
