/**
 * Native ECS deployments (BLUE_GREEN, LINEAR, CANARY) for the bench: the worlds, one engine rollout measured on each,
 * and the parts of the physical minimum (the ideal canary; ECS's own deployment run without cage).
 */
import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { REPO, rolloutSettings, type Scenario, webContext } from "../__tests__/engine/scenarios/world.js";
import {
  currentDeployment,
  LAMBDA_HOOK,
  type NativeStrategy,
  nativeScenario,
  STRATEGY_SETTINGS,
  target,
} from "../__tests__/fixtures/native-world.js";
import { rollout } from "../src/engine/rollout.js";
import type { RolloutSettings } from "../src/engine/settings.js";
import { STAGES } from "../src/sim/world/native.js";
import { IDEAL, rolloutWith } from "./schedule.js";

export const STRATEGIES: NativeStrategy[] = ["BLUE_GREEN", "LINEAR", "CANARY"];

export interface NativeCase {
  name: string;
  about: string;
  strategy: NativeStrategy;
  change?: (w: any) => void;
  settings: RolloutSettings;
}

const settings = (over: Partial<RolloutSettings> = {}) => rolloutSettings({ runId: "bench", ...over });

export const passingCase = (strategy: NativeStrategy): NativeCase => ({
  name: strategy,
  about: "the listener world's web service (2 tasks, web-tg / web-green)",
  strategy,
  settings: settings(),
});

/** web-errors goes to ALARM 150 s after the first v2 task (the canary) runs: during ECS's deployment. */
const alarmed = (w: any) => {
  w.alarms = [...(w.alarms ?? []), { name: "web-errors", trigger: { image: "web:v2", afterSeconds: 150 } }];
  w.services[0].alarms = { alarmNames: ["web-errors"], rollback: true };
};

/** The Lambda hook after the production shift answers FAILED after 10 s; the hook comes with update-service. */
const failingLambda = (w: any) => {
  w.lambdas = { "web-check": { outcome: "FAILED", seconds: 10 } };
};

function withLambdaHook(strategy: NativeStrategy): RolloutSettings {
  const deploymentConfiguration = { strategy, ...STRATEGY_SETTINGS[strategy], lifecycleHooks: [LAMBDA_HOOK] };
  return settings({ updateService: true, context: webContext("v2", { deploymentConfiguration } as never) });
}

/** Each v2 task exits 45 s after RUNNING: the canary has passed by then; green's tasks fail until the breaker trips. */
const crashing = (w: any) => {
  w.images[`${REPO}:v2`] = { bootSeconds: 25, healthyAfterSeconds: 10, exitAfterSeconds: 45, exitCode: 2 };
};

/** Longer than the fixture's 1-minute bakes, as services run them: the cadence's cost and lag over a long wait. */
export const LONGER: NativeCase[] = [
  {
    name: "LINEAR 4 steps",
    about: "LINEAR in 25 % steps, 1 min step bake, 1 min bake",
    strategy: "LINEAR",
    change: (w) => Object.assign(w.services[0], { linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } }),
    settings: settings(),
  },
  {
    name: "BLUE_GREEN long",
    about: "BLUE_GREEN, 10 min bake, both target groups drain for the ALB's default 300 s",
    strategy: "BLUE_GREEN",
    change: (w) => {
      w.services[0].bakeTimeInMinutes = 10;
      for (const tg of w.targetGroups) tg.deregistrationDelaySeconds = 300;
    },
    settings: settings(),
  },
];

export const failingCases = (strategy: NativeStrategy): NativeCase[] => [
  {
    name: `${strategy} alarm`,
    about: "deployment alarm web-errors (rollback) goes to ALARM 150 s after the canary started",
    strategy,
    change: alarmed,
    settings: settings(),
  },
  {
    name: `${strategy} lambda hook`,
    about: "AWS_LAMBDA hook at POST_PRODUCTION_TRAFFIC_SHIFT answers FAILED after 10 s",
    strategy,
    change: failingLambda,
    settings: withLambdaHook(strategy),
  },
  {
    name: `${strategy} circuit breaker`,
    about: "green's tasks exit 45 s after RUNNING; the circuit breaker (rollback) trips at 3 failed tasks",
    strategy,
    change: crashing,
    settings: settings(),
  },
];

export interface NativeMeasure {
  result: string;
  /** Virtual ms from the first call to the command's end. */
  wall: number;
  /** Virtual ms from the start to the deployment phase's end (the engine's conclusion). */
  concludedAt?: number;
  deployment?: ServiceDeployment;
  /** Virtual ms from the start to the deployment's finishedAt, as ECS reports it. */
  finishedAt?: number;
  reads: Record<string, number>;
  mutations: Record<string, number>;
}

function count(operations: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const op of operations) out[op] = (out[op] ?? 0) + 1;
  return out;
}

const scenarioOf = (c: Pick<NativeCase, "strategy" | "change">): Scenario => nativeScenario(c.strategy, c.change);

export async function measureNative(c: NativeCase): Promise<NativeMeasure> {
  const s = scenarioOf(c);
  const start = s.sim.clock.now();
  const out = await rollout(c.settings, s.deps);
  const wall = s.sim.clock.now() - start;
  const ended = s.timeline.events.find((e) => e.type === "phase-finished" && e.phase === "deployment");
  const all = s.sim.journal.calls().map((call) => call.operation);
  const changing = s.sim.journal.mutations().map((call) => call.operation);
  const deployment = await currentDeployment(s);
  const finished = deployment?.finishedAt?.getTime();
  const mutations = count(changing);
  const reads = count(all);
  for (const [op, n] of Object.entries(mutations)) {
    reads[op] = (reads[op] ?? 0) - n;
    if (reads[op] === 0) delete reads[op];
  }
  return {
    result: out.result,
    wall,
    ...(ended ? { concludedAt: ended.at - start } : {}),
    ...(deployment ? { deployment } : {}),
    ...(finished !== undefined ? { finishedAt: finished - start } : {}),
    reads,
    mutations,
  };
}

/** The ideal schedule's canary on the same world: virtual ms from the first call until the canary is STOPPED. */
export async function idealCanary(c: NativeCase): Promise<number> {
  const s = scenarioOf(c);
  const aws = s.sim.ports("us-east-1", { maxAttempts: 1 });
  const run = await rolloutWith(IDEAL, c.settings, aws, s.sim.clock);
  const stopped = await aws.ecs.listTasks({ cluster: "production", desiredStatus: "STOPPED" });
  const tasks = stopped.taskArns?.length
    ? ((await aws.ecs.describeTasks({ cluster: "production", tasks: stopped.taskArns })).tasks ?? [])
    : [];
  const canary = tasks.find((t) => t.group?.startsWith("cage:canary-task:"));
  const at = canary?.stoppedAt?.getTime();
  if (at === undefined) throw new Error(`bench: the ideal canary of ${c.name} never stopped`);
  return at - run.start;
}

/** ECS's own deployment, by the world's timestamps and a look at its stage every second. */
export interface AloneMeasure {
  /** createdAt to finishedAt. */
  total: number;
  /** createdAt to the first look past SCALE_UP: green's fleet started and healthy in the idle group. */
  greenFleet: number;
  /** The first look at CLEAN_UP to finishedAt: blue deregistered, drained and stopped. */
  cleanUp: number;
}

const LOOK_MS = 1_000;
const PAST_SCALE_UP = STAGES.slice(STAGES.indexOf("SCALE_UP") + 1);

/** ECS's own deployment of web:2, started by a plain UpdateService with no canary. */
export async function nativeAlone(c: NativeCase): Promise<AloneMeasure> {
  const s = scenarioOf(c);
  await s.deps.aws.ecs.updateService({ ...target, taskDefinition: "web:2" });
  const seen = new Map<string, number>();
  let d = await currentDeployment(s);
  for (let t = 0; d?.finishedAt === undefined && t < 7_200; t += 1) {
    // Stages with nothing to wait for pass at once, so a look may land on any later one.
    if (d?.lifecycleStage && !seen.has(d.lifecycleStage)) seen.set(d.lifecycleStage, s.sim.clock.now());
    await s.sim.clock.sleep(LOOK_MS);
    d = await currentDeployment(s);
  }
  const created = d?.createdAt?.getTime();
  const finished = d?.finishedAt?.getTime();
  if (d?.status !== "SUCCESSFUL" || created === undefined || finished === undefined)
    throw new Error(`bench: ECS's own ${c.strategy} deployment ended ${d?.status}`);
  const pastScaleUp = PAST_SCALE_UP.map((stage) => seen.get(stage)).find((at) => at !== undefined);
  return {
    total: finished - created,
    greenFleet: (pastScaleUp ?? Number.NaN) - created,
    cleanUp: finished - (seen.get("CLEAN_UP") ?? Number.NaN),
  };
}
