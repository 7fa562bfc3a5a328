/**
 * The fault matrix for the other commands: every AWS operation `up`, `run` and `cleanup` make × the same five
 * transient faults × every phase each is called in. Plus faults that never stop: the command
 * gives up inside its overall deadline and still cleans up.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cleanup } from "../../src/engine/cleanup.js";
import { rollout } from "../../src/engine/rollout.js";
import { runTask } from "../../src/engine/run.js";
import type { CommandResult } from "../../src/engine/settings.js";
import { DEFAULT_TIMEOUTS } from "../../src/engine/settings.js";
import { up } from "../../src/engine/up.js";
import { REPO, rolloutSettings } from "../engine/scenarios/world.js";
import { cleanupSettings, runSettings, upSettings } from "./commands.js";
import { killAt, type Run, run, snapshotService, succeeded } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { faultMatrix, sitesOf } from "./sites.js";
import { finish, headline, tally } from "./tally.js";

tally.start("Fault matrix (up, run, cleanup) and endless faults");

interface Command {
  setup: () => Promise<Run>;
  go: (s: Run) => Promise<CommandResult>;
}

const COMMANDS: Record<string, Command> = {
  up: { setup: async () => run(), go: (s) => up(upSettings(), s.deps) },
  run: {
    setup: async () => run(undefined, (b) => b.image(`${REPO}:v2`, { exitAfterSeconds: 20, exitCode: 0 })),
    go: (s) => runTask(runSettings(), s.deps),
  },
  cleanup: {
    setup: async () => {
      const s = run();
      await killAt(s, "target-health");
      return s;
    },
    go: (s) => cleanup(cleanupSettings(), s.deps),
  },
};

async function sites(command: string) {
  const c = COMMANDS[command] as Command;
  const s = await c.setup();
  s.sim.journal.clear();
  // The setup's events (cleanup's killed rollout) were stamped against the journal before it was cleared.
  const from = s.stamped.length;
  const result = await c.go(s);
  if (result.result !== "succeeded") throw new Error(`clean ${command} failed: ${result.message}`);
  return sitesOf(s.sim.journal.calls(), s.stamped.slice(from)).map((site) => ({ command, ...site }));
}

const matrix = faultMatrix((await Promise.all(Object.keys(COMMANDS).map(sites))).flat());

const ENDLESS = ["DescribeTasks", "DescribeTargetHealth", "DescribeServiceDeployments"];

afterAll(() => {
  tally.row(
    "sites (command, operation, phase)",
    new Set(matrix.map((m) => `${m.command}/${m.operation}@${m.phase}`)).size,
  );
  const stale = finish("fault-matrix-commands", matrix.length + ENDLESS.length);
  if (stale) throw new Error(stale);
});

describe("up, run and cleanup under one transient fault", () => {
  it.each(matrix)("$command: $operation in $phase, $fault: succeeds, nothing duplicated", async (m) => {
    const c = COMMANDS[m.command] as Command;
    const s = await c.setup();
    s.sim.journal.clear();
    s.sim.faults.add([{ service: m.service, operation: m.operation, after: m.after, ...m.rule }]);
    const result = await c.go(s);
    tally.scenario(s.sim.journal.calls().filter((call) => call.fault).length);
    expect(result.result, result.message).toBe("succeeded");
    expect(succeeded(s, "RegisterTaskDefinition").length).toBeLessThanOrEqual(1);
    const tokens = (op: string) =>
      new Set(succeeded(s, op).map((call) => (call.params as { clientToken?: string }).clientToken)).size;
    expect(tokens("RunTask")).toBeLessThanOrEqual(1);
    expect(tokens("CreateService")).toBeLessThanOrEqual(1);
    if (m.command === "cleanup") {
      const claimed = { result: "failed" as const, message: "killed", serviceChanged: false };
      expect(await checkInvariants(s, claimed, { before: {}, skipServiceCheck: true, told: false })).toEqual([]);
    } else {
      const told = {
        command: m.command as "up" | "run",
        context: m.command === "up" ? upSettings().context : runSettings().context,
      };
      const service = m.command === "up" ? upSettings().service : runSettings().service;
      expect(await checkInvariants(s, result, { before: {}, skipServiceCheck: true, service, told })).toEqual([]);
    }
  });
});

describe("a fault that never stops", () => {
  it.each(ENDLESS)(
    "%s throttled for good: the rollout gives up inside its deadline, says why, and removes the canary",
    async (operation) => {
      const s = run();
      const before = await snapshotService(s);
      s.sim.journal.clear();
      s.sim.faults.add([{ operation, effect: "throttle", after: 1 }]);
      const timeouts = { ...DEFAULT_TIMEOUTS, overall: 10 * 60_000 };
      const start = s.sim.clock.now();
      const result = await rollout(rolloutSettings({ timeouts }), s.deps);
      const elapsed = s.sim.clock.now() - start;
      tally.scenario(s.sim.journal.calls().filter((call) => call.fault).length);
      tally.row(`${operation} throttled for good`, headline(result.message));
      expect(result.result).toBe("failed");
      expect(result.message).toMatch(new RegExp(`${operation}|Throttl|timed out|Timed out`, "i"));
      // The overall deadline, plus the cleanup's own budget for stopping the canary.
      expect(elapsed).toBeLessThanOrEqual(timeouts.overall + timeouts.taskStopped);
      s.sim.faults.clear();
      expect(await checkInvariants(s, result, { before })).toEqual([]);
    },
  );
});
