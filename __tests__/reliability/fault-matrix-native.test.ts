/**
 * The fault matrix on services ECS deploys natively: every native operation (ListServiceDeployments,
 * DescribeServiceDeployments, DescribeServiceRevisions, DescribeRules, ContinueServiceDeployment,
 * StopServiceDeployment, and the UpdateService that starts a deployment) × the five transient faults × every phase
 * it is called in, for rollouts of BLUE_GREEN, LINEAR and CANARY services and for `continue` and `rollback`; on
 * BLUE_GREEN rollouts and the two commands, at every operation. Then each mutating native call answered but lost.
 * After each run, all invariants, the four of native deployments among them, on the simulator's state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandResult } from "../../src/engine/settings.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import { loseResponses, type Run, snapshotService, succeeded } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { NATIVE_CASES, NATIVE_OPERATIONS, type NativeCase } from "./native-cases.js";
import { nativeInvariants } from "./native-invariants.js";
import { EFFECTS, faultMatrix, type Site, sitesOf } from "./sites.js";
import { finish, tally } from "./tally.js";

tally.start("Fault matrix (native deployments)");

type NamedSite = Site & { name: string };

async function sites(name: string): Promise<NamedSite[]> {
  const c = NATIVE_CASES[name] as NativeCase;
  const s = await c.setup();
  s.sim.journal.clear();
  const from = s.stamped.length;
  const result = await c.go(s);
  if (result.result !== c.clean) throw new Error(`the clean '${name}' ended ${result.result}: ${result.message}`);
  return sitesOf(s.sim.journal.calls(), s.stamped.slice(from))
    .filter((site) => !c.only || c.only.includes(site.operation))
    .map((site) => ({ ...site, name }));
}

/** Runs the case's command on a fresh world, with `inject` applied after its setup; what went wrong. */
async function attempt(
  c: NativeCase,
  inject: (s: Run) => void,
): Promise<{ s: Run; result: CommandResult; problems: string[] }> {
  const s = await c.setup();
  const before = await snapshotService(s);
  s.sim.journal.clear();
  inject(s);
  const start = s.sim.clock.now();
  const result = await c.go(s);
  const elapsed = s.sim.clock.now() - start;
  const problems: string[] = [];
  const overall = (c.settings?.() ?? rolloutSettings()).timeouts.overall;
  if (elapsed > overall) problems.push(`took ${elapsed} ms, over the overall ${overall} ms`);
  if (result.result !== c.clean) problems.push(`${result.result}, not ${c.clean}: ${result.message}`);
  if (c.command === "rollout") {
    const told = { context: (c.settings?.() ?? rolloutSettings()).context };
    const waitUntil = c.waitUntil ? { waitUntil: c.waitUntil } : {};
    problems.push(...(await checkInvariants(s, result, { before, told, ...waitUntil })));
  } else {
    const calls = s.sim.journal.calls();
    s.sim.faults.clear();
    const aws = s.sim.ports("us-east-1", { maxAttempts: 1 });
    const check = { command: c.command, cluster: "production", service: "web" };
    const broken = await nativeInvariants(aws, calls, result, check);
    tally.invariants(4, broken.length);
    problems.push(...broken);
  }
  // Each mutating call took effect once: one task definition, one canary, one update, one continue or stop.
  for (const op of [
    "RegisterTaskDefinition",
    "RunTask",
    "UpdateService",
    "ContinueServiceDeployment",
    "StopServiceDeployment",
  ]) {
    const n = succeeded(s, op).length;
    if (n > 1) problems.push(`${op} took effect ${n} times`);
  }
  return { s, result, problems };
}

type Case = ReturnType<typeof faultMatrix<NamedSite>>[number];
let matrix: Case[] = [];
const outcomes = new Map<string, number>();

/** Each mutating native call, answered and then lost on the way back. */
const LOST: [string, string][] = [
  ["rollout past deployment-timeout, rolled back", "StopServiceDeployment"],
  ["continue a paused deployment", "ContinueServiceDeployment"],
  ["rollback a paused deployment", "ContinueServiceDeployment"],
  ["rollback a deployment in progress", "StopServiceDeployment"],
];

describe("a native deployment under one transient fault", () => {
  beforeAll(async () => {
    const all: NamedSite[] = [];
    for (const name of Object.keys(NATIVE_CASES)) all.push(...(await sites(name)));
    matrix = faultMatrix(all);
  }, 120_000);

  afterAll(() => {
    tally.row(
      "sites (command, operation, phase)",
      new Set(matrix.map((m) => `${m.name}/${m.operation}@${m.phase}`)).size,
    );
    tally.row("commands", Object.keys(NATIVE_CASES).join("; "));
    tally.row(
      "native operations",
      [...new Set(matrix.map((m) => m.operation))]
        .filter((op) => /Deployment|Revision|Rules/.test(op))
        .sort()
        .join(", "),
    );
    tally.row("lost answers", LOST.map(([name, op]) => `${op} (${name})`).join("; "));
    for (const [outcome, n] of [...outcomes].sort()) tally.row(`outcome: ${outcome}`, n);
    const stale = finish("fault-matrix-native", matrix.length + LOST.length + 2);
    if (stale) throw new Error(stale);
  });

  it("finds a site at every native operation", () => {
    const operations = new Set(matrix.map((m) => m.operation));
    for (const op of NATIVE_OPERATIONS) {
      expect(operations).toContain(op);
    }
  });

  const cases = Object.keys(NATIVE_CASES).flatMap((name) => Object.keys(EFFECTS).map((fault) => [name, fault]));
  it.each(cases)(
    "%s, %s at each operation's first and last call in each phase: ends as it would without it, invariants hold",
    async (name, fault) => {
      const mine = matrix.filter((m) => m.name === name && m.fault === fault);
      expect(mine.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const m of mine) {
        const rule = { service: m.service, operation: m.operation, after: m.after, ...m.rule };
        const {
          s,
          result,
          problems: found,
        } = await attempt(NATIVE_CASES[name] as NativeCase, (w) => w.sim.faults.add([rule]));
        const injected = s.sim.journal.calls().filter((c) => c.fault).length;
        tally.scenario(injected);
        outcomes.set(result.result, (outcomes.get(result.result) ?? 0) + 1);
        if (injected === 0) found.push("no fault was injected");
        for (const problem of found) problems.push(`${m.operation} (call ${m.after + 1}) in ${m.phase}: ${problem}`);
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );

  // A lost UpdateService answer is read back, never resent: a second one would start a second native deployment.
  it.each(["rollout, BLUE_GREEN", "rollout, BLUE_GREEN with production on the alternate group"])(
    "%s: UpdateService answered but lost takes effect once, and is not sent again",
    async (name) => {
      const { s, problems } = await attempt(NATIVE_CASES[name] as NativeCase, (w) =>
        loseResponses(w, "UpdateService", 1, 1),
      );
      tally.scenario(1);
      tally.row(`lost UpdateService answer (${name})`, problems.join("; "));
      expect(problems).toEqual([]);
      expect(succeeded(s, "UpdateService").length).toBe(1);
    },
  );

  it.each(LOST)("%s: %s answered but lost takes effect once", async (name, operation) => {
    const { s, problems } = await attempt(NATIVE_CASES[name] as NativeCase, (w) => loseResponses(w, operation, 1, 1));
    tally.scenario(1);
    expect(problems).toEqual([]);
    expect(succeeded(s, operation).length).toBe(1);
  });
});
