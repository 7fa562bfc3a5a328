/**
 * Every AWS operation a rollout makes × {throttling burst, 500, 503, dropped connection, 5 s latency} × every
 * phase it is called in (its first and last call there); on Fargate, plus the calls only a rollout onto an EC2
 * container instance makes. The operations and phases come from a clean rollout's journal and
 * events, so a new call or phase in the engine joins the matrix by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rollout } from "../../src/engine/rollout.js";
import { errorRateCheck, metricSoak } from "../engine/scenarios/metric-checks.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import { run, snapshotService, succeeded } from "./harness.js";
import { ec2RolloutSettings, ec2World } from "./iam-scenarios.js";
import { checkInvariants } from "./invariants.js";
import { EFFECTS, faultMatrix, type Site, sitesOf } from "./sites.js";
import { finish, tally } from "./tally.js";

tally.start("Fault matrix (rollout)");

const TOPOLOGIES = {
  Fargate: { world: undefined, settings: () => rolloutSettings(), service: "web" },
  "EC2 instance": { world: ec2World, settings: ec2RolloutSettings, service: "web-ec2" },
  "Fargate, soaking": {
    world: undefined,
    settings: () =>
      rolloutSettings({
        soak: metricSoak({
          durationMs: 60_000,
          alarms: ["web-5xx"],
          metrics: [errorRateCheck({ intervalMs: 20_000 })],
        }),
      }),
    service: "web",
  },
};
type Topology = keyof typeof TOPOLOGIES;

async function sites(topology: Topology): Promise<(Site & { topology: Topology })[]> {
  const t = TOPOLOGIES[topology];
  const s = run(undefined, t.world);
  const result = await rollout(t.settings(), s.deps);
  if (result.result !== "succeeded") throw new Error(`the clean ${topology} rollout failed: ${result.message}`);
  return sitesOf(s.sim.journal.calls(), s.stamped).map((site) => ({ ...site, topology }));
}

type Case = ReturnType<typeof faultMatrix<Site & { topology: Topology }>>[number];

/** What went wrong in one scenario: empty when the rollout absorbed the fault and left everything as it should. */
async function problemsOf(m: Case): Promise<string[]> {
  const t = TOPOLOGIES[m.topology];
  const s = run(undefined, t.world);
  const before = await snapshotService(s, "production", t.service);
  s.sim.journal.clear();
  s.sim.faults.add([{ service: m.service, operation: m.operation, after: m.after, ...m.rule }]);
  const start = s.sim.clock.now();
  const settings = t.settings();
  const result = await rollout(settings, s.deps);
  const elapsed = s.sim.clock.now() - start;
  const injected = s.sim.journal.calls().filter((c) => c.fault).length;
  tally.scenario(injected);
  outcomes.set(result.result, (outcomes.get(result.result) ?? 0) + 1);
  const problems = injected > 0 ? [] : ["no fault was injected"];
  problems.push(
    ...(await checkInvariants(s, result, { before, service: t.service, told: { context: settings.context } })),
  );
  // Bounded retries, inside the overall deadline, and a burst this short is absorbed.
  if (elapsed > settings.timeouts.overall)
    problems.push(`took ${elapsed} ms, over the overall ${settings.timeouts.overall} ms`);
  if (result.result !== "succeeded") problems.push(`${result.result}: ${result.message}`);
  // Non-idempotent calls took effect once: one task definition, one canary, one deployment.
  const once = {
    RegisterTaskDefinition: succeeded(s, "RegisterTaskDefinition").length,
    "RunTask or StartTask": succeeded(s, "RunTask").length + succeeded(s, "StartTask").length,
    UpdateService: succeeded(s, "UpdateService").length,
  };
  for (const [call, n] of Object.entries(once)) if (n !== 1) problems.push(`${call} took effect ${n} times`);
  return problems;
}

// Filled by the clean rollouts in beforeAll: importing this file runs nothing.
let matrix: Case[] = [];
let ec2: (Site & { topology: Topology })[] = [];
let soaking: (Site & { topology: Topology })[] = [];
const outcomes = new Map<string, number>();

describe("a rollout under one transient fault", () => {
  beforeAll(async () => {
    const fargate = await sites("Fargate");
    // On an EC2 instance, only the calls a Fargate rollout does not make (StartTask, the container instance reads).
    ec2 = (await sites("EC2 instance")).filter((site) => !fargate.some((f) => f.operation === site.operation));
    // With a soak, only its CloudWatch calls (DescribeAlarms, GetMetricData) in preflight and during the soak.
    soaking = (await sites("Fargate, soaking")).filter((site) => !fargate.some((f) => f.operation === site.operation));
    matrix = faultMatrix([...fargate, ...ec2, ...soaking]);
  });

  afterAll(() => {
    tally.row("operations × phases", new Set(matrix.map((m) => `${m.operation}@${m.phase}`)).size);
    tally.row("on an EC2 instance too", [...new Set(ec2.map((m) => m.operation))].sort().join(", "));
    tally.row("with a soak too", [...new Set(soaking.map((m) => m.operation))].sort().join(", "));
    tally.row("operations", [...new Set(matrix.map((m) => m.operation))].sort().join(", "));
    tally.row("phases", [...new Set(matrix.map((m) => m.phase))].join(", "));
    for (const [outcome, n] of [...outcomes].sort()) tally.row(`outcome: ${outcome}`, n);
    const stale = finish("fault-matrix", matrix.length);
    if (stale) throw new Error(stale);
  });

  it("finds every mutating call and the EC2 instance's own calls among the sites", () => {
    const operations = new Set(matrix.map((m) => m.operation));
    for (const op of ["RegisterTaskDefinition", "RunTask", "RegisterTargets", "DeregisterTargets", "UpdateService"]) {
      expect(operations).toContain(op);
    }
    expect(ec2.map((site) => site.operation)).toContain("StartTask");
    expect(soaking.map((site) => `${site.operation}@${site.phase}`)).toEqual(
      expect.arrayContaining([
        "DescribeAlarms@preflight",
        "GetMetricData@preflight",
        "DescribeAlarms@canary-soak",
        "GetMetricData@canary-soak",
      ]),
    );
  });

  const cases = Object.keys(TOPOLOGIES).flatMap((topology) => Object.keys(EFFECTS).map((fault) => [topology, fault]));
  it.each(cases)(
    "%s, %s at each operation's first and last call in each phase: the canary is cleaned up, nothing duplicated",
    async (topology, fault) => {
      const mine = matrix.filter((m) => m.topology === topology && m.fault === fault);
      expect(mine.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const m of mine) {
        for (const problem of await problemsOf(m))
          problems.push(`${m.operation} (call ${m.after + 1}) in ${m.phase}: ${problem}`);
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );
});
