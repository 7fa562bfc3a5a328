/**
 * The worst transient fault for a call that changes something: AWS did it, but the answer never arrived. The
 * engine's retry layer (the only one: the SDK sends each request once) then sends it again; a client token or a
 * look at the world must keep that from starting a second canary, a second deployment or a second service.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { DeployContext } from "../../src/context/types.js";
import { rollout } from "../../src/engine/rollout.js";
import { runTask } from "../../src/engine/run.js";
import type { CommandResult } from "../../src/engine/settings.js";
import { up } from "../../src/engine/up.js";
import type { WorldBuilder } from "../../src/sim/world/index.js";
import { REPO, rolloutSettings } from "../engine/scenarios/world.js";
import { runSettings, upSettings } from "./commands.js";
import { type Command, loseResponses, type Run, run, snapshotService, succeeded } from "./harness.js";
import { ec2RolloutSettings, ec2World } from "./iam-scenarios.js";
import { checkInvariants } from "./invariants.js";
import { finish, tally } from "./tally.js";

tally.start("Lost responses to mutating calls");

/** As createAwsPorts builds its clients: one attempt per request, the engine's backoff above it. */
const sdkLayers = [{ layer: "engine retries, SDK sends once", maxAttempts: 1 }];

const exits = (b: WorldBuilder): WorldBuilder => b.image(`${REPO}:v2`, { exitAfterSeconds: 20, exitCode: 0 });

interface Case {
  command: string;
  operation: string;
  go: (s: Run) => Command;
  world?: typeof exits;
  /** A rollout of another service than web: its name and deploy context, for the invariants. */
  rollout?: { service: string; context: DeployContext | undefined };
}

const cases: Case[] = [
  { command: "rollout", operation: "RegisterTaskDefinition", go: () => (d) => rollout(rolloutSettings(), d) },
  { command: "rollout", operation: "RunTask", go: () => (d) => rollout(rolloutSettings(), d) },
  { command: "rollout", operation: "RegisterTargets", go: () => (d) => rollout(rolloutSettings(), d) },
  { command: "rollout", operation: "UpdateService", go: () => (d) => rollout(rolloutSettings(), d) },
  {
    command: "rollout on an EC2 instance",
    operation: "StartTask",
    go: () => (d) => rollout(ec2RolloutSettings(), d),
    world: ec2World,
    rollout: { service: "web-ec2", context: ec2RolloutSettings().context },
  },
  { command: "up", operation: "CreateService", go: () => (d) => up(upSettings(), d) },
  { command: "run", operation: "RunTask", go: () => (d) => runTask(runSettings(), d), world: exits },
];

const matrix = cases.flatMap((c) => sdkLayers.map((l) => ({ ...c, ...l })));
const repeats: string[] = [];
let duplicates = 0;

afterAll(() => {
  tally.row("calls that took effect and were sent again", repeats.join("; "));
  tally.row("duplicated canaries, deployments, services or task definitions", duplicates);
  const stale = finish("lost-responses", matrix.length + 1);
  if (stale) throw new Error(stale);
});

describe("a mutating call whose answer is lost", () => {
  it.each(matrix)("$command: $operation answered but lost ($layer) takes effect once", async (c) => {
    const s = run(undefined, c.world);
    const service = c.rollout?.service ?? "web";
    const before = await snapshotService(s, "production", service);
    const revisionsBefore = webRevisions(s);
    s.sim.journal.clear();
    loseResponses(s, c.operation, 1, c.maxAttempts);
    const result = await c.go(s)(s.deps);
    tally.scenario(1);
    const effects = succeeded(s, c.operation).length;
    if (effects > 1) repeats.push(`${c.command} ${c.operation} (${c.layer}) sent ${effects}x`);
    if (c.command.startsWith("rollout")) {
      const told = { context: c.rollout?.context };
      expect(await checkInvariants(s, result, { before, service, told })).toEqual([]);
    }
    expect(result.result, result.message).toBe("succeeded");
    const distinct = distinctEffects(s, c.operation, result, revisionsBefore);
    duplicates += Math.max(0, distinct - 1);
    expect(distinct).toBe(1);
  });
});

describe("a registration that was lost before it took effect", () => {
  it("registers a new revision, even when an identical one was registered by an earlier run", async () => {
    const s = run();
    const first = await rollout(rolloutSettings({ runId: "run-0" }), s.deps);
    expect(first.result, first.message).toBe("succeeded");
    await s.sim.clock.advance(60 * 60_000);
    const revisionsBefore = webRevisions(s);
    s.sim.faults.add([{ operation: "RegisterTaskDefinition", effect: "drop", count: 1 }]);
    const result = await rollout(rolloutSettings(), s.deps);
    tally.scenario(1);
    expect(result.result, result.message).toBe("succeeded");
    expect(webRevisions(s) - revisionsBefore).toBe(1);
    expect(result.taskDefinitionArn).not.toBe(first.taskDefinitionArn);
  });
});

/**
 * What the calls created in the world, counted once each: tasks and services by client token, deployments by the
 * service's own record, task definitions by the revisions of the family registered during the command (there is
 * no client token: the engine must find its lost registration instead of registering another).
 */
function distinctEffects(s: Run, operation: string, result: CommandResult, revisionsBefore: number): number {
  const calls = succeeded(s, operation);
  switch (operation) {
    case "RunTask":
    case "CreateService":
      return new Set(calls.map((c) => (c.params as { clientToken?: string }).clientToken ?? c.seq)).size;
    case "RegisterTargets":
      return new Set(calls.map((c) => JSON.stringify(c.params))).size;
    case "UpdateService": {
      const web = [...s.world.state.services.values()].find((svc) => svc.name === "web");
      return (web?.deployments ?? []).filter((d) => d.taskDefinitionArn === result.taskDefinitionArn).length;
    }
    case "RegisterTaskDefinition": {
      const canaries = succeeded(s, "RunTask").map((c) => (c.params as { taskDefinition?: string }).taskDefinition);
      expect(new Set([...canaries, result.taskDefinitionArn]).size).toBe(1);
      return webRevisions(s) - revisionsBefore;
    }
    default:
      return calls.length;
  }
}

const webRevisions = (s: Run) => [...s.world.state.taskDefinitions.values()].filter((td) => td.family === "web").length;
