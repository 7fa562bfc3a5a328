/**
 * Cancellation (SIGINT/SIGTERM become an aborted AbortSignal) at the start of every phase of every command, and
 * at the first sight of the canary's target. Cleanup calls come first, right away, and nothing is left behind.
 * Then while each mutating call of each command is in flight: its answer comes in time (2 s) or only after the
 * main step gave up on it (20 s); after the main step and the action's post step, nothing of the run is left and
 * what was reported is what the world shows.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { DeployCommand } from "../../src/action/deploy-report.js";
import type { DeployContext } from "../../src/context/types.js";
import type { CageEvent } from "../../src/engine/events.js";
import { rollout } from "../../src/engine/rollout.js";
import { runTask } from "../../src/engine/run.js";
import type { CommandResult, EngineDeps } from "../../src/engine/settings.js";
import { up } from "../../src/engine/up.js";
import type { WorldBuilder } from "../../src/sim/world/index.js";
import { errorRateCheck, metricSoak } from "../engine/scenarios/metric-checks.js";
import { REPO, rolloutSettings, webContext } from "../engine/scenarios/world.js";
import { runSettings, upSettings } from "./commands.js";
import {
  cancelInFlight,
  cancelWhen,
  type InFlightEnd,
  type Run,
  run,
  snapshotService,
  withPostStep,
} from "./harness.js";
import { ec2RolloutSettings, ec2World } from "./iam-scenarios.js";
import { checkInvariants } from "./invariants.js";
import { finish, tally } from "./tally.js";

tally.start("Cancellation (AbortSignal)");

type Go = (deps: EngineDeps) => Promise<CommandResult>;
type World = (b: WorldBuilder) => WorldBuilder;
interface Command {
  command: DeployCommand;
  go: Go;
  world?: World;
  service: string;
  /** The deploy context it was given, for what the summary says. */
  context: DeployContext;
}
const slowExit: World = (b) => b.image(`${REPO}:v2`, { exitAfterSeconds: 120, exitCode: 0 });
const commands: Command[] = [
  { command: "rollout", go: (d) => rollout(rolloutSettings(), d), service: "web", context: webContext("v2") },
  { command: "up", go: (d) => up(upSettings(), d), service: "web-new", context: upSettings().context as DeployContext },
  { command: "run", go: (d) => runTask(runSettings(), d), world: slowExit, service: "web", context: webContext("v2") },
];
/** The canary on a named EC2 instance, started with StartTask: only in flight, for the calls Fargate does not make. */
const onEc2: Command = {
  command: "rollout",
  go: (d) => rollout(ec2RolloutSettings(), d),
  world: ec2World,
  service: "web-ec2",
  context: ec2RolloutSettings().context as DeployContext,
};

/** The phases each command goes through when nothing goes wrong, and the mutating calls it makes. */
async function phases(go: Go, world?: World): Promise<{ phases: string[]; mutations: string[] }> {
  const s = run(undefined, world);
  await go(s.deps);
  return {
    phases: [
      ...new Set(s.timeline.events.flatMap((e) => (e.type === "phase-started" ? [e.phase] : []))),
      ...(s.timeline.events.some((e) => e.type === "target-health") ? ["first target health"] : []),
    ],
    mutations: [...new Set(s.sim.journal.mutations().map((c) => c.operation))],
  };
}

interface End {
  how: string;
  end: InFlightEnd;
  /** The answer reaches the main step in time. */
  answered: boolean;
}

/** An answer within the main step's wait for it; one past it but within the post step's; one lost on the way. */
const ENDS: End[] = [
  { how: "answered in 2s", end: { latencyMs: 2_000 }, answered: true },
  { how: "answered in 20s", end: { latencyMs: 20_000 }, answered: false },
  { how: "answer lost", end: { lost: true }, answered: false },
];

const matrix: (Command & { at: string })[] = [];
const SOAK_POINTS = ["canary-soak begun", "first metric evaluation"];
const inFlight: (Command & End & { call: string; label: string })[] = [];
for (const c of commands) {
  const seen = await phases(c.go, c.world);
  for (const at of seen.phases) matrix.push({ ...c, at });
  for (const call of seen.mutations) for (const end of ENDS) inFlight.push({ ...c, call, label: c.command, ...end });
}
/** A rollout that soaks for a minute watching web-5xx and a metric check: canceled while it soaks. */
const soaking: Command = {
  command: "rollout",
  go: (d) =>
    rollout(
      rolloutSettings({
        soak: metricSoak({
          durationMs: 60_000,
          alarms: ["web-5xx"],
          metrics: [errorRateCheck({ intervalMs: 20_000 })],
        }),
      }),
      d,
    ),
  service: "web",
  context: webContext("v2"),
};
for (const at of SOAK_POINTS) matrix.push({ ...soaking, at });
const fargateCalls = new Set(inFlight.filter((m) => m.command === "rollout").map((m) => m.call));
for (const call of (await phases(onEc2.go, onEc2.world)).mutations.filter((c) => !fargateCalls.has(c))) {
  for (const end of ENDS) inFlight.push({ ...onEc2, call, label: "rollout on EC2", ...end });
}

const trigger = (at: string) => (e: CageEvent) => {
  if (at === "first target health") return e.type === "target-health";
  if (at === "first metric evaluation") return e.type === "metric-evaluation";
  if (at === "canary-soak begun") return e.type === "phase-started" && e.phase === "canary-soak";
  return e.type === "phase-started" && e.phase === at;
};

afterAll(() => {
  tally.row("cancellation points", matrix.map((m) => `${m.command}@${m.at}`).join(", "));
  tally.row(
    "calls in flight when canceled",
    `${[...new Set(inFlight.map((m) => `${m.label}:${m.call}`))].join(", ")}; each ${ENDS.map((e) => e.how).join(", ")}`,
  );
  const stale = finish("cancellation", matrix.length + inFlight.length);
  if (stale) throw new Error(stale);
});

describe("a command canceled", () => {
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

describe("a command canceled while a mutating call is in flight", () => {
  it.each(inFlight)(
    "$label canceled during $call ($how): after main and post, nothing of the run is left and the report is true",
    async (m) => {
      const s: Run = run(undefined, m.world);
      const before = await snapshotService(s, "production", m.service);
      s.sim.journal.clear();
      const steps = withPostStep(s, { cluster: "production", service: m.service, runId: "run-1" });
      const seen = cancelInFlight(s, m.call, m.end);
      const result = await m.go(s.deps);
      const post = await steps.post(result);
      tally.scenario(1);
      expect(post.exitCode).toBe(0);
      expect(result.result).toBe("canceled");
      // Long enough for a call the main step gave up on to land.
      await s.sim.clock.advance(60_000);
      // The call was sent before the cancel and answered after it.
      const calls = s.sim.journal.calls({ operation: m.call });
      expect(calls[0]?.seq).toBeGreaterThan(seen.abortedAt?.calls ?? Number.POSITIVE_INFINITY);
      // The main step waits SETTLE_MS for an answer; one that never came is named, and the post step looked again.
      expect((result.unsettled ?? []).length > 0).toBe(!m.answered && mayBeCut(m.call));
      expect(steps.state.finished === "true").toBe(!result.unsettled?.length);
      // The post step looks once; it says how to remove a task that AWS starts after that look.
      const launchUnsettled = (result.unsettled ?? []).some((u) =>
        ["RunTask", "StartTask"].includes(String(u.operation)),
      );
      expect(post.stdout.includes("--run-id run-1 removes it")).toBe(launchUnsettled);
      // A change whose answer was lost had taken effect: reading the service back shows it.
      if (m.how === "answer lost" && /^(UpdateService|CreateService)$/.test(m.call)) {
        expect(result.serviceChanged).toBe(true);
      }
      if (process.env.CAGE_CANCEL_LOG) console.log(`${m.label} ${m.call} ${m.how}: ${result.message}`);
      expect(await tasksOfRunStillWanted(s)).toEqual([]);
      const told = { command: m.command, context: m.context };
      expect(await checkInvariants(s, result, { before, service: m.service, told })).toEqual([]);
    },
  );
});

/** Cleanup calls run without the cancellation, so only the command's own calls can be left unanswered. */
function mayBeCut(call: string): boolean {
  return call !== "StopTask" && call !== "DeregisterTargets";
}

/** Tasks this run started that are not asked to stop, whatever their group. */
async function tasksOfRunStillWanted(s: Run): Promise<string[]> {
  const aws = s.sim.ports("us-east-1", { maxAttempts: 1 });
  const listed = await aws.ecs.listTasks({ cluster: "production", startedBy: "cage-action/run-1" });
  const tasks = listed.taskArns?.length
    ? ((await aws.ecs.describeTasks({ cluster: "production", tasks: listed.taskArns })).tasks ?? [])
    : [];
  tally.invariants(1, tasks.length);
  return tasks.map((t) => `${t.group} ${t.lastStatus}`);
}

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
