/**
 * Every malformed input in the corpus, through the real CLI entry (`runCli`) against the simulator over HTTP:
 * a clear one-line error naming the file or input and where, exit code 2, no stack trace, no mutating call.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { VirtualClock } from "../../src/sim/clock.js";
import { type RunningSimulator, serve } from "../../src/sim/serve.js";
import { createSimulator } from "../../src/sim/simulator.js";
import { World } from "../../src/sim/world/index.js";
import { setEnv, TEST_CREDENTIALS } from "../fixtures/env.js";
import { contextCorpus, flagCorpus, GOOD } from "./corpus.js";
import { finish, tally } from "./tally.js";

tally.start("Bad input");

const GOOD_WORLD: unknown = JSON.parse(readFileSync("deploy-example/world.json", "utf8"));
const files = contextCorpus();
const flags = flagCorpus();
const worlds = worldCorpus();
let sim: RunningSimulator;
const work = mkdtempSync(join(tmpdir(), "cage-bad-input-"));
const goodDir = join(work, "good");
let restoreEnv = () => {};

beforeAll(async () => {
  restoreEnv = setEnv(TEST_CREDENTIALS);
  sim = await serve({
    worldFile: "deploy-example/world.json",
    loadWorld: (json, source, clock) => World.fromJson(json, source, { clock }),
    log: () => {},
  });
  writeContext(goodDir, {});
});

afterAll(async () => {
  await sim.close();
  rmSync(work, { recursive: true, force: true });
  restoreEnv();
  const kinds = new Map<string, number>();
  for (const c of [...files, ...flags]) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  kinds.set("world file", worlds.length);
  for (const [kind, n] of [...kinds].sort()) tally.row(kind, n);
  const stale = finish("bad-input", files.length + flags.length + worlds.length);
  if (stale) throw new Error(stale);
});

function writeContext(dir: string, replace: Partial<Record<keyof typeof GOOD, Buffer>>): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of Object.keys(GOOD) as (keyof typeof GOOD)[]) {
    writeFileSync(join(dir, file), replace[file] ?? GOOD[file]);
  }
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const before = sim.sim.journal.mutations().length;
  const code = await runCli(["rollout", "--region", "us-east-1", "--endpoint-url", sim.url, ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { IMAGE_TAG: "v2", ...env },
    clock: new VirtualClock(),
  });
  const mutations = sim.sim.journal
    .mutations()
    .slice(before)
    .map((c) => c.operation);
  return { code, text: [...out, ...err].join("\n"), mutations };
}

function expectClearRefusal(r: Awaited<ReturnType<typeof cli>>, names: RegExp, where?: RegExp): void {
  tally.scenario(0);
  tally.invariants(1, r.mutations.length > 0 ? 1 : 0);
  expect(r.code).toBe(2);
  expect(r.text).toMatch(names);
  if (where) expect(r.text).toMatch(where);
  expect(r.text).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m);
  expect(r.text.length).toBeLessThan(20_000);
  expect(r.mutations).toEqual([]);
}

describe("a malformed deploy context", () => {
  it.each(files)("$kind: $name → names the file and where, exit 2, nothing changed", async (c) => {
    const dir = join(work, "case");
    writeContext(dir, { [c.file]: c.bytes });
    const r = await cli([dir]);
    expectClearRefusal(r, new RegExp(c.file.replace(".", "\\.")), c.where);
  });
});

describe("a bad flag or environment value", () => {
  it.each(flags)("$kind: $name → names the input, exit 2, nothing changed", async (c) => {
    const positional = c.kind === "bad path" ? [] : [goodDir];
    const r = await cli([...positional, ...c.argv], c.env);
    expectClearRefusal(r, c.names);
  });
});

function worldCorpus(): { name: string; change: (w: Record<string, unknown>) => unknown; where: RegExp }[] {
  return [
    { name: "services is an object", change: (w) => ({ ...w, services: {} }), where: /services/ },
    { name: "an unknown top-level key", change: (w) => ({ ...w, servics: [] }), where: /servics/ },
    { name: "a subnet without an id", change: (w) => ({ ...w, subnets: [{}] }), where: /subnets\[0\]/ },
    { name: "iamPolicy without statements", change: (w) => ({ ...w, iamPolicy: {} }), where: /iamPolicy/ },
    {
      name: "a fault with an unknown effect",
      change: (w) => ({ ...w, faults: [{ effect: "explode" }] }),
      where: /faults\[0\]\.effect/,
    },
    {
      name: "a fault rate above 1",
      change: (w) => ({ ...w, faults: [{ effect: "drop", rate: 2 }] }),
      where: /faults\[0\]\.rate/,
    },
    { name: "the region is a number", change: (w) => ({ ...w, region: 1 }), where: /region/ },
    { name: "a world that is a list", change: () => [], where: /world|object/i },
  ];
}

describe("a broken world file", () => {
  it.each(worlds)("$name → names world.json and the path", ({ change, where }) => {
    const json = change(JSON.parse(JSON.stringify(GOOD_WORLD)));
    tally.scenario(0);
    let message = "";
    try {
      // The simulator itself validates iamPolicy and faults when it takes the world.
      createSimulator({ world: (clock) => World.fromJson(json, "world.json", { clock }) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/world\.json|iamPolicy|faults/);
    expect(message).toMatch(where);
  });
});
