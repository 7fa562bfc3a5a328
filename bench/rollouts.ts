/** Runs one rollout case three ways (the engine, the ideal schedule, canarycage's schedule) and measures each. */

import { Timeline } from "../src/engine/events.js";
import { rollout } from "../src/engine/rollout.js";
import { CLI_NAMING } from "../src/inputs/naming.js";
import type { Simulator } from "../src/sim/simulator.js";
import { CANARYCAGE, IDEAL, rolloutWith, type Schedule } from "./schedule.js";
import { type RolloutCase, type ServicesCase, simulatorFor } from "./worlds.js";

export interface RolloutMeasure {
  result: string;
  /** Virtual ms from the start of the command to its end (everything cleaned up). */
  wall: number;
  /** Virtual ms from the start to the decision that the canary failed. */
  failedAt?: number;
  calls: number;
  byOperation: Record<string, number>;
  /** Virtual ms the canary task existed: RunTask/StartTask to STOPPED. */
  canarySeconds: number;
}

function journalOf(sim: Simulator) {
  const calls = sim.journal.calls();
  const byOperation: Record<string, number> = {};
  for (const c of calls) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
  return { calls: calls.length, byOperation };
}

/** How long the canaries lived, each from its launch call to STOPPED as the API reports it, summed. */
async function canaryLifetime(sim: Simulator, cluster: string): Promise<number> {
  const launches = [...sim.journal.calls({ operation: "RunTask" }), ...sim.journal.calls({ operation: "StartTask" })];
  const aws = sim.ports("us-east-1", { maxAttempts: 1 });
  const listed = await aws.ecs.listTasks({ cluster, desiredStatus: "STOPPED" });
  const tasks = listed.taskArns?.length
    ? ((await aws.ecs.describeTasks({ cluster, tasks: listed.taskArns })).tasks ?? [])
    : [];
  let total = 0;
  for (const canary of tasks.filter((t) => t.group?.startsWith("cage:canary-task:"))) {
    const launch = launches.find((c) => (c.params as { group?: string }).group === canary.group);
    const stopped = canary.stoppedAt?.getTime();
    if (launch && stopped !== undefined) total += (stopped - launch.time) / 1000;
  }
  return total;
}

export async function measureEngine(c: RolloutCase): Promise<RolloutMeasure> {
  const sim = simulatorFor(c);
  const timeline = new Timeline();
  const start = sim.clock.now();
  const out = await rollout(c.settings, {
    aws: sim.ports("us-east-1", { maxAttempts: 1 }),
    clock: sim.clock,
    events: timeline.sink,
    naming: CLI_NAMING,
  });
  const wall = sim.clock.now() - start;
  const failed = timeline.events.find((e) => e.type === "phase-finished" && e.outcome === "failed");
  const counted = journalOf(sim);
  return {
    result: out.result,
    wall,
    ...(failed ? { failedAt: failed.at - start } : {}),
    ...counted,
    canarySeconds: await canaryLifetime(sim, c.settings.cluster),
  };
}

export async function measureSchedule(c: RolloutCase, schedule: Schedule): Promise<RolloutMeasure> {
  const sim = simulatorFor(c);
  const run = await rolloutWith(schedule, c.settings, sim.ports("us-east-1", { maxAttempts: 1 }), sim.clock);
  const counted = journalOf(sim);
  return {
    result: run.result,
    wall: run.end - run.start,
    ...(run.failedAt !== undefined ? { failedAt: run.failedAt - run.start } : {}),
    ...counted,
    canarySeconds: await canaryLifetime(sim, c.settings.cluster),
  };
}

export interface CaseMeasures {
  engine: RolloutMeasure;
  ideal: RolloutMeasure;
  canarycage: RolloutMeasure;
}

export async function measureCase(c: RolloutCase): Promise<CaseMeasures> {
  return {
    engine: await measureEngine(c),
    ideal: await measureSchedule(c, IDEAL),
    canarycage: await measureSchedule(c, CANARYCAGE),
  };
}

export interface ServicesMeasure {
  results: string[];
  wall: number;
  calls: number;
  canarySeconds: number;
}

/** All the case's rollouts at once on one simulator, by the engine or under a schedule. */
export async function measureServices(c: ServicesCase, schedule?: Schedule): Promise<ServicesMeasure> {
  const sim = simulatorFor(c);
  const aws = sim.ports("us-east-1", { maxAttempts: 1 });
  const start = sim.clock.now();
  const results = await Promise.all(
    c.settings.map(async (settings) =>
      schedule
        ? (await rolloutWith(schedule, settings, aws, sim.clock)).result
        : (await rollout(settings, { aws, clock: sim.clock, events: () => {}, naming: CLI_NAMING })).result,
    ),
  );
  return {
    results,
    wall: sim.clock.now() - start,
    calls: sim.journal.calls().length,
    canarySeconds: await canaryLifetime(sim, c.settings[0]?.cluster ?? "production"),
  };
}
