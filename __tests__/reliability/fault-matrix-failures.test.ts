/**
 * The fault matrix on the paths only a failing rollout takes: the cleanup after a canary fails (the demo's
 * `crash`, `container-unhealthy` and `target-unhealthy` variants, and a crash on an EC2 instance), and a deployment the circuit breaker fails
 * after the canary passed, rolled back by ECS or by cage (phase "rollback"), or a deployment and its rollback both
 * slower than the deployment timeout. The sites come from a clean run of each failing world, from the call where it
 * parts from a passing rollout on: the calls before that are the passing rollout's, already in fault-matrix.test.ts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { rollout } from "../../src/engine/rollout.js";
import { type CommandResult, DEFAULT_TIMEOUTS, type RolloutSettings } from "../../src/engine/settings.js";
import type { CallRecord } from "../../src/sim/journal.js";
import type { WorldBuilder } from "../../src/sim/world/index.js";
import { REPO, rolloutSettings, webServiceSpec } from "../engine/scenarios/world.js";
import { loseResponses, type Run, run, snapshotService, succeeded } from "./harness.js";
import { ec2RolloutSettings, ec2World } from "./iam-scenarios.js";
import { checkInvariants } from "./invariants.js";
import { faultMatrix, phaseAt, type Site, sitesOf } from "./sites.js";
import { finish, tally } from "./tally.js";

tally.start("Fault matrix (failure paths)");

const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";

/** web:v2 passes its canary, then exits 45 s after it starts: four tasks at once trip the circuit breaker. */
const crashesAfterTheCanary = (rollback: boolean) => (b: WorldBuilder) =>
  b
    .service({ ...webServiceSpec(), desiredCount: 4, circuitBreaker: { enable: true, rollback } })
    .image(`${REPO}:v2`, { bootSeconds: 25, healthyAfterSeconds: 10, exitAfterSeconds: 45, exitCode: 2 });

type Path = "canary fails" | "deployment fails";
interface FailingWorld {
  path: Path;
  /** A canary started with StartTask on a container instance; Fargate otherwise. */
  ec2?: true;
  variant?: string;
  change?: (b: WorldBuilder) => WorldBuilder;
  settings?: () => RolloutSettings;
  /** What the clean run must end with, so the world really takes the failure path. */
  clean: RegExp;
  /** UpdateService calls that take effect: none when the canary fails; the deployment, and cage's own rollback. */
  updates: number;
}

const WORLDS: Record<string, FailingWorld> = {
  crash: { path: "canary fails", variant: "crash", clean: /EssentialContainerExited/, updates: 0 },
  "container-unhealthy": {
    path: "canary fails",
    variant: "container-unhealthy",
    clean: /became UNHEALTHY/,
    updates: 0,
  },
  "target-unhealthy": { path: "canary fails", variant: "target-unhealthy", clean: /ResponseCodeMismatch/, updates: 0 },
  "crash on an EC2 instance": {
    path: "canary fails",
    ec2: true,
    change: (b) => ec2World(b).image(`${REPO}:v2`, { exitAfterSeconds: 20, exitCode: 1 }),
    settings: ec2RolloutSettings,
    clean: /EssentialContainerExited/,
    updates: 0,
  },
  "ECS rolls back": {
    path: "deployment fails",
    change: crashesAfterTheCanary(true),
    clean: /ECS rolled the service back to web:1/,
    updates: 1,
  },
  "cage rolls back": {
    path: "deployment fails",
    change: crashesAfterTheCanary(false),
    clean:
      /^Deployment .* was stopped: circuit breaker triggered: \d+ failed tasks .* Rolled the service back to web:1/,
    updates: 2,
  },
  "deployment and rollback time out": {
    path: "deployment fails",
    settings: () => rolloutSettings({ timeouts: { ...DEFAULT_TIMEOUTS, deployment: 20_000 } }),
    clean: /The rollback to web:1 was started .* but not seen to complete/,
    updates: 2,
  },
};
type WorldName = keyof typeof WORLDS;

const world = (name: WorldName): FailingWorld => WORLDS[name] as FailingWorld;
const settingsOf = (w: FailingWorld) => w.settings?.() ?? rolloutSettings();
const serviceOf = (w: FailingWorld) => (w.ec2 ? "web-ec2" : "web");

const stepsOf = (calls: readonly CallRecord[], s: Run) =>
  calls.map((c) => `${c.operation}@${phaseAt(s.stamped, c.seq)}`);

/** A passing rollout's steps on Fargate and on an EC2 instance: where a failing world parts from them, its sites begin. */
async function passingSteps(ec2: boolean): Promise<string[]> {
  const s = run(undefined, ec2 ? ec2World : undefined);
  const result = await rollout(ec2 ? ec2RolloutSettings() : rolloutSettings(), s.deps);
  if (result.result !== "succeeded") throw new Error(`the clean rollout failed: ${result.message}`);
  return stepsOf(s.sim.journal.calls(), s);
}
const passing = { fargate: await passingSteps(false), ec2: await passingSteps(true) };

/** The failing world's sites from the call before the first one a passing rollout does not make there. */
async function sites(name: WorldName): Promise<(Site & { world: WorldName; clean: CommandResult["result"] })[]> {
  const w = world(name);
  const s = run(w.variant, w.change);
  const result = await rollout(settingsOf(w), s.deps);
  if (!world(name).clean.test(result.message)) {
    throw new Error(`the clean run of '${name}' did not fail as it should: ${result.result}: ${result.message}`);
  }
  const calls = s.sim.journal.calls();
  const steps = stepsOf(calls, s);
  const parts = steps.findIndex((step, i) => step !== (w.ec2 ? passing.ec2 : passing.fargate)[i]);
  const from = calls[Math.max(0, parts - 1)]?.seq ?? 0;
  return sitesOf(calls, s.stamped)
    .filter((site) => {
      const call = calls.filter((c) => c.operation === site.operation)[site.after];
      return call !== undefined && call.seq >= from;
    })
    .map((site) => ({ ...site, world: name, clean: result.result }));
}

const all: Awaited<ReturnType<typeof sites>> = [];
for (const name of Object.keys(WORLDS)) all.push(...(await sites(name)));
const matrix = faultMatrix(all);
const outcomes = new Map<string, number>();

function rollbackSeen(result: CommandResult, running: string | undefined): string[] {
  if (result.result === "succeeded") return [`a failed deployment reported succeeded: ${result.message}`];
  if (running === WEB_1 || /rollback .* not seen to complete/i.test(result.message)) return [];
  return [`the service runs ${running}, and the message does not say the rollback was not seen: ${result.message}`];
}

/** The calls only a failure path makes that change something, each with its answer lost after it took effect. */
const lost = [
  { world: "crash", operation: "StopTask", after: 0 },
  { world: "crash on an EC2 instance", operation: "StopTask", after: 0 },
  { world: "target-unhealthy", operation: "DeregisterTargets", after: 0 },
  { world: "cage rolls back", operation: "UpdateService", after: 1 },
].flatMap((c) => [1, 5].map((maxAttempts) => ({ ...c, maxAttempts })));

afterAll(() => {
  for (const name of Object.keys(WORLDS)) {
    const mine = all.filter((m) => m.world === name);
    tally.row(`${name}: sites`, [...new Set(mine.map((m) => `${m.operation}@${m.phase}`))].join(", "));
  }
  for (const [outcome, n] of [...outcomes].sort()) tally.row(`outcome: ${outcome}`, n);
  const losses = new Set(lost.map((c) => `${c.operation} (${c.world})`));
  tally.row("answers lost after the call took effect", [...losses].join(", "));
  const stale = finish("fault-matrix-failures", matrix.length + lost.length);
  if (stale) throw new Error(stale);
});

describe("a failing rollout under one transient fault", () => {
  it.each(matrix)("$world: $operation in $phase, $fault: still a failure, nothing left behind", async (m) => {
    const w = world(m.world);
    const s = run(w.variant, w.change);
    const before = await snapshotService(s, "production", serviceOf(w));
    s.sim.journal.clear();
    s.sim.faults.add([{ service: m.service, operation: m.operation, after: m.after, ...m.rule }]);
    const start = s.sim.clock.now();
    const settings = settingsOf(w);
    const result = await rollout(settings, s.deps);
    const elapsed = s.sim.clock.now() - start;
    const injected = s.sim.journal.calls().filter((c) => c.fault).length;
    tally.scenario(injected);
    outcomes.set(`${w.path}: ${result.result}`, (outcomes.get(`${w.path}: ${result.result}`) ?? 0) + 1);
    s.sim.faults.clear();
    const running = (await snapshotService(s, "production", serviceOf(w))).taskDefinition as string | undefined;

    expect(injected).toBeGreaterThan(0);
    expect(
      await checkInvariants(s, result, { before, service: serviceOf(w), told: { context: settings.context } }),
    ).toEqual([]);
    // A rollback may run past the overall deadline by at most a deployment's time.
    expect(elapsed).toBeLessThanOrEqual(settings.timeouts.overall + settings.timeouts.deployment);
    expect([...succeeded(s, "RunTask"), ...succeeded(s, "StartTask")]).toHaveLength(1);
    expect(succeeded(s, "RegisterTaskDefinition")).toHaveLength(1);
    if (w.path === "canary fails") {
      expect(result.serviceChanged).toBe(false);
    } else {
      expect(rollbackSeen(result, running)).toEqual([]);
      expect(result.serviceChanged).toBe(true);
    }
    expect(succeeded(s, "UpdateService")).toHaveLength(w.updates);
    // A burst this short is absorbed: the run ends as the clean run of its world did.
    expect(result.result, result.message).toBe(m.clean);
  });
});

describe("a failing rollout whose call's answer is lost after it took effect", () => {
  it.each(lost)("$world: $operation (SDK attempts: $maxAttempts) ends as without the loss", async (c) => {
    const w = world(c.world as WorldName);
    const s = run(w.variant, w.change);
    const before = await snapshotService(s, "production", serviceOf(w));
    const backBefore = deploymentsOf(s, WEB_1);
    s.sim.journal.clear();
    const lostSoFar = loseResponses(s, c.operation, 1, c.maxAttempts, c.after);
    const settings = settingsOf(w);
    const result = await rollout(settings, s.deps);
    tally.scenario(lostSoFar());

    expect(lostSoFar()).toBe(1);
    expect(
      await checkInvariants(s, result, { before, service: serviceOf(w), told: { context: settings.context } }),
    ).toEqual([]);
    expect(result.result, result.message).toBe(w.path === "canary fails" ? "failed" : "rolled-back");
    // One rollback deployment, however often its UpdateService was sent.
    expect(deploymentsOf(s, WEB_1) - backBefore).toBe(w.updates === 2 ? 1 : 0);
  });
});

const deploymentsOf = (s: Run, taskDefinition: string) =>
  [...s.world.state.services.values()]
    .filter((svc) => svc.name === "web")
    .flatMap((svc) => svc.deployments)
    .filter((d) => d.taskDefinitionArn === taskDefinition).length;
