/**
 * Native deployments (BLUE_GREEN, LINEAR, CANARY) for the benchmark: a `cage rollout` by the engine, and the
 * bench-only ideal rollout (bench/schedule.ts) that releases its canary before the update, each measured on a fresh
 * listener world (__tests__/fixtures/native-world.ts).
 */
import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { rolloutSettings } from "../__tests__/engine/scenarios/world.js";
import { type NativeStrategy, nativeScenario, STRATEGY_SETTINGS } from "../__tests__/fixtures/native-world.js";
import { type CageEvent, Timeline } from "../src/engine/events.js";
import { rollout } from "../src/engine/rollout.js";
import type { RolloutSettings } from "../src/engine/settings.js";
import { CLI_NAMING } from "../src/inputs/naming.js";
import type { Simulator } from "../src/sim/simulator.js";
import { STAGES } from "../src/sim/world/native.js";
import { IDEAL, POLL, rolloutWith } from "./schedule.js";

/** The service's strategy settings, as the world declares them (bakes in minutes). */
export interface StrategyConfig {
  bakeTimeInMinutes?: number;
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
}

export interface NativeCase {
  name: string;
  strategy: NativeStrategy;
  about: string;
  /** The strategy's settings; the fixture's short bakes when unset. */
  config?: StrategyConfig;
  /** Changes the listener world's JSON before it loads. */
  world?: (w: any) => void;
  settings?: Partial<RolloutSettings>;
  /** Longer than the fixture's short bakes: the calls target does not apply. */
  longer?: boolean;
}

export const configOf = (c: NativeCase): StrategyConfig =>
  c.config ?? (STRATEGY_SETTINGS[c.strategy] as StrategyConfig);

export interface NativeMeasure {
  result: string;
  message: string;
  /** Virtual ms from the first call to the end of the command. */
  wall: number;
  calls: number;
  mutating: number;
  byOperation: Record<string, number>;
  /** The followed service deployment as the world tells it after the run. */
  deployment?: ServiceDeployment;
  /** When the engine first reported the deployment ROLLBACK_* or STOPPED, and when its deployment phase ended. */
  firstSeenFailing?: number;
  concluded?: number;
  start: number;
}

const FAILING = new Set([
  "ROLLBACK_REQUESTED",
  "ROLLBACK_IN_PROGRESS",
  "ROLLBACK_SUCCESSFUL",
  "ROLLBACK_FAILED",
  "STOPPED",
]);

function simOf(c: NativeCase): Simulator {
  const declare = (w: any) => {
    if (c.config) Object.assign(w.services[0], c.config);
    c.world?.(w);
  };
  return nativeScenario(c.strategy, declare).sim;
}
const settingsOf = (c: NativeCase) => rolloutSettings({ runId: "bench", ...c.settings });

async function serviceDeploymentOf(sim: Simulator, arn: string | undefined): Promise<ServiceDeployment | undefined> {
  if (!arn) return undefined;
  const out = await sim.ports("us-east-1").ecs.describeServiceDeployments({ serviceDeploymentArns: [arn] });
  return out.serviceDeployments?.[0];
}

function byOperation(sim: Simulator) {
  const calls = sim.journal.calls();
  const ops: Record<string, number> = {};
  for (const c of calls) ops[c.operation] = (ops[c.operation] ?? 0) + 1;
  return { calls: calls.length, mutating: sim.journal.mutations().length, byOperation: ops };
}

const atOf = (events: CageEvent[], match: (e: CageEvent) => boolean) => events.find(match)?.at;

export async function measureNativeEngine(c: NativeCase): Promise<NativeMeasure> {
  const sim = simOf(c);
  const timeline = new Timeline();
  const start = sim.clock.now();
  const out = await rollout(settingsOf(c), {
    aws: sim.ports("us-east-1", { maxAttempts: 1 }),
    clock: sim.clock,
    events: timeline.sink,
    naming: CLI_NAMING,
  });
  const wall = sim.clock.now() - start;
  const counted = byOperation(sim);
  const firstSeenFailing = atOf(timeline.events, (e) => e.type === "service-deployment" && FAILING.has(e.status));
  const concluded = atOf(timeline.events, (e) => e.type === "phase-finished" && e.phase === "deployment");
  const deployment = await serviceDeploymentOf(sim, out.serviceDeploymentArn);
  return {
    result: out.result,
    message: out.message ?? "",
    wall,
    ...counted,
    ...(deployment ? { deployment } : {}),
    ...(firstSeenFailing !== undefined ? { firstSeenFailing } : {}),
    ...(concluded !== undefined ? { concluded } : {}),
    start,
  };
}

export interface IdealMeasure {
  wall: number;
  /** The canary's part: start, health checks, target healthy, drain and stop, until UpdateService. */
  canary: number;
  /** ECS's part, by the world's own timestamps: the service deployment's createdAt to finishedAt. */
  deployment: number;
  /** From createdAt to the first look past SCALE_UP: green's fleet started and healthy in the idle group. */
  greenFleet: number;
  /** From the first look at CLEAN_UP to finishedAt: blue drained and stopped. */
  cleanUp: number;
}

/** The ideal rollout, with a 250 ms look at the service deployment's stage beside it (bench-only, at no cost). */
export async function measureNativeIdeal(c: NativeCase): Promise<IdealMeasure> {
  const sim = simOf(c);
  const aws = sim.ports("us-east-1", { maxAttempts: 1 });
  const seen = new Map<string, number>();
  let done = false;
  const look = async () => {
    const before = (await aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
    const initial = before?.currentServiceDeployment;
    while (!done) {
      const svc = (await aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
      const arn = svc?.currentServiceDeployment;
      const stage = arn && arn !== initial ? (await serviceDeploymentOf(sim, arn))?.lifecycleStage : undefined;
      if (stage && !seen.has(stage)) seen.set(stage, sim.clock.now());
      await sim.clock.sleep(POLL);
    }
    return initial;
  };
  const looking = look();
  const run = await rolloutWith(IDEAL, settingsOf(c), aws, sim.clock, { releaseFirst: true });
  done = true;
  const initial = await looking;
  if (run.result !== "succeeded" || run.updatedAt === undefined) throw new Error(`bench: ideal ${c.name} failed`);
  const listed = await aws.ecs.listServiceDeployments({ cluster: "production", service: "web" });
  const ours = (listed.serviceDeployments ?? []).find((d) => d.serviceDeploymentArn !== initial);
  const d = await serviceDeploymentOf(sim, ours?.serviceDeploymentArn);
  const created = d?.createdAt?.getTime() ?? Number.NaN;
  const finished = d?.finishedAt?.getTime() ?? Number.NaN;
  // Stages with nothing to wait for pass at once, so the first look past SCALE_UP may be at any later stage.
  const pastScaleUp = STAGES.slice(STAGES.indexOf("SCALE_UP") + 1)
    .map((stage) => seen.get(stage))
    .find((t) => t !== undefined);
  return {
    wall: run.end - run.start,
    canary: run.updatedAt - run.start,
    deployment: finished - created,
    greenFleet: (pastScaleUp ?? Number.NaN) - created,
    cleanUp: finished - (seen.get("CLEAN_UP") ?? Number.NaN),
  };
}
