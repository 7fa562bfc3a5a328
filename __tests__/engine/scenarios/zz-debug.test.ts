import { it } from "vitest";
import { rollout } from "../../../src/engine/rollout.js";
import { REPO, rolloutSettings, scenario } from "./world.js";

it("debug", async () => {
  const variant = process.env.VARIANT || undefined;
  const s = scenario(variant, (b) =>
    b.image(`${REPO}:v2`, { bootSeconds: 25, healthyAfterSeconds: 10, exitAfterSeconds: 45, exitCode: 2 }),
  );
  const t0 = s.sim.clock.now();
  const result = await rollout(rolloutSettings(), s.deps);
  for (const e of s.timeline.events) {
    const { at, type, ...rest } = e as any;
    console.log(((at - t0) / 1000).toFixed(1).padStart(7), type, JSON.stringify(rest).slice(0, 220));
  }
  const calls = s.sim.journal.calls();
  const by: Record<string, number> = {};
  for (const c of calls) by[c.operation] = (by[c.operation] ?? 0) + 1;
  console.log(result, calls.length, by);
});
