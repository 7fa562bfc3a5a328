/** The invariant-4 check itself: it catches a result that tells the user something the world contradicts. */
import { describe, expect, it } from "vitest";
import { rollout } from "../../src/engine/rollout.js";
import type { CommandResult } from "../../src/engine/settings.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import { run, snapshotService } from "./harness.js";
import { checkInvariants } from "./invariants.js";

describe("invariant 4: what the user is told matches the world", () => {
  it("holds for a clean rollout as reported", async () => {
    const s = run();
    const before = await snapshotService(s);
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(await checkInvariants(s, result, { before })).toEqual([]);
  });

  it.each<[string, (r: CommandResult) => CommandResult, RegExp]>([
    ["failed", (r) => ({ ...r, result: "failed" }), /deployment completed and the service runs the new revision/],
    ["rolled-back", (r) => ({ ...r, result: "rolled-back" }), /reported rolled-back, but the service is not back/],
    ["run's exit code 3", (r) => ({ ...r, exitCode: 3 }), /exit code 3 for a succeeded rollout/],
  ])("catches a completed rollout reported as %s", async (_, lie, problem) => {
    const s = run();
    const before = await snapshotService(s);
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    const problems = await checkInvariants(s, lie(result), { before });
    expect(problems).toContainEqual(expect.stringMatching(problem));
  });

  it("catches a failed rollout whose summary says the service was not changed", async () => {
    const s = run();
    const before = await snapshotService(s);
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    const lie: CommandResult = { ...result, result: "failed", message: "It broke; the service was not changed." };
    const problems = await checkInvariants(s, lie, { before });
    expect(problems).toContainEqual(
      expect.stringMatching(/summary says 'service was not changed', but the journal says changed=true/),
    );
  });
});
