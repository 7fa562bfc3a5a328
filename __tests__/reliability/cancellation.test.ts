/**
 * Cancellation (SIGINT/SIGTERM become an aborted AbortSignal) at the start of every phase of every command, and
 * at the first sight of the canary's target. Cleanup calls come first, right away, and nothing is left behind.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { CageEvent } from "../../src/engine/events.js";
import { rollout } from "../../src/engine/rollout.js";
import { runTask } from "../../src/engine/run.js";
import type { CommandResult, EngineDeps } from "../../src/engine/settings.js";
import { up } from "../../src/engine/up.js";
import type { WorldBuilder } from "../../src/sim/world/index.js";
import { REPO, rolloutSettings } from "../engine/scenarios/world.js";
import { runSettings, upSettings } from "./commands.js";
import { cancelWhen, type Run, run, snapshotService } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { finish, tally } from "./tally.js";

tally.start("Cancellation (AbortSignal)");

type Go = (deps: EngineDeps) => Promise<CommandResult>;
const slowExit = (b: WorldBuilder) => b.image(`${REPO}:v2`, { exitAfterSeconds: 120, exitCode: 0 });
const commands: { command: string; go: Go; world?: typeof slowExit; service: string }[] = [
  { command: "rollout", go: (d) => rollout(rolloutSettings(), d), service: "web" },
  { command: "up", go: (d) => up(upSettings(), d), service: "web-new" },
  { command: "run", go: (d) => runTask(runSettings(), d), world: slowExit, service: "web" },
];

/** The phases each command goes through when nothing goes wrong. */
async function phases(go: Go, world?: typeof slowExit): Promise<string[]> {
  const s = run(undefined, world);
  await go(s.deps);
  return [
    ...new Set(s.timeline.events.flatMap((e) => (e.type === "phase-started" ? [e.phase] : []))),
    ...(s.timeline.events.some((e) => e.type === "target-health") ? ["first target health"] : []),
  ];
}

const matrix: { command: string; go: Go; world?: typeof slowExit; service: string; at: string }[] = [];
for (const c of commands) for (const at of await phases(c.go, c.world)) matrix.push({ ...c, at });

const trigger = (at: string) => (e: CageEvent) =>
  at === "first target health" ? e.type === "target-health" : e.type === "phase-started" && e.phase === at;

describe("a command canceled", () => {
  afterAll(() => {
    tally.row("cancellation points", matrix.map((m) => `${m.command}@${m.at}`).join(", "));
    const stale = finish("cancellation", matrix.length);
    if (stale) throw new Error(stale);
  });

  it.each(matrix)("$command canceled at $at: cleanup first, nothing left behind", async (m) => {
    const s: Run = run(undefined, m.world);
    const before = await snapshotService(s);
    s.sim.journal.clear();
    let abortedAt: { time: number; calls: number } | undefined;
    cancelWhen(s, (e) => {
      const hit = trigger(m.at)(e);
      if (hit) abortedAt = { time: s.sim.clock.now(), calls: s.sim.journal.calls().length };
      return hit;
    });
    const result = await m.go(s.deps);
    tally.scenario(0);
    expect(abortedAt).toBeDefined();
    expect(["canceled", "succeeded"]).toContain(result.result);
    if (result.result === "canceled") {
      // After the signal, only cleanup changes the world: deregistration and StopTask, asked within seconds.
      const after = s.sim.journal.mutations().filter((c) => c.seq > (abortedAt?.calls ?? 0));
      for (const call of after) expect(["DeregisterTargets", "StopTask"]).toContain(call.operation);
      const firstCleanup = after[0];
      if (firstCleanup) expect(firstCleanup.time - (abortedAt?.time ?? 0)).toBeLessThan(10_000);
    }
    if (m.command === "rollout") expect(await checkInvariants(s, result, { before })).toEqual([]);
    else await expectNothingLeft(s);
  });
});

/** up and run: no task of this run still wanted once the command returns (run's own task included). */
async function expectNothingLeft(s: Run): Promise<void> {
  const aws = s.sim.ports("us-east-1", { maxAttempts: 1 });
  const listed = await aws.ecs.listTasks({ cluster: "production", startedBy: "cage-action/run-1" });
  const tasks = listed.taskArns?.length
    ? ((await aws.ecs.describeTasks({ cluster: "production", tasks: listed.taskArns })).tasks ?? [])
    : [];
  tally.invariants(1, tasks.length);
  expect(tasks.map((t) => `${t.group} ${t.desiredStatus}`)).toEqual([]);
}
