/**
 * Arbitrary JSON shapes thrown at the deploy-context loader: a random value (objects with keys such as __proto__,
 * constructor, toString or the ECS members themselves, lists, null, strings, numbers) put anywhere in the example's
 * files, or in place of a whole file. Either the loader names the file and where, or the context is valid; never
 * another error. Through the action's main step with the simulator: a context error sends nothing, and a context
 * that loads never ends in an internal error.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeployContextError, loadDeployContext } from "../../src/context/load.js";
import { demoStep } from "../action/demo-step.js";
import { ENV, EXAMPLE } from "./helpers.js";

/** A JSON value as written: objects keep their entries in order, duplicates included. */
type Json = null | boolean | number | string | Json[] | { entries: [string, Json][] };
type File = keyof typeof EXAMPLE;

const KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "find",
  "length",
  "name",
  "image",
  "essential",
  "family",
  "containerDefinitions",
  "portMappings",
  "loadBalancers",
  "networkConfiguration",
  "awsvpcConfiguration",
  "subnets",
  "healthCheck",
  "dependsOn",
  "launchType",
  "cpu",
  "memory",
];

const { value: jsonValue } = fc.letrec<{ value: Json; object: Json; list: Json; leaf: Json }>((tie) => ({
  value: fc.oneof({ depthSize: "small" }, tie("leaf"), tie("list"), tie("object")),
  leaf: fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -5, max: 100_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 12 }),
    fc.constantFrom("FARGATE", "SPOT", "", "1024", "app", "arn:aws:iam::123456789012:role/x"),
  ),
  list: fc.array(tie("value"), { maxLength: 4 }),
  object: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie("value")), { maxLength: 4 })
    .map((entries) => ({ entries })),
}));

function fromJs(value: unknown): Json {
  if (Array.isArray(value)) return value.map(fromJs);
  if (value !== null && typeof value === "object") {
    return { entries: Object.entries(value).map(([k, v]) => [k, fromJs(v)] as [string, Json]) };
  }
  return value as Json;
}

function toText(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(toText).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}: ${toText(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** Every object and list of a value, to put the new value into. */
function containers(value: Json, out: Exclude<Json, null | boolean | number | string>[] = []) {
  if (Array.isArray(value)) {
    out.push(value);
    for (const item of value) containers(item, out);
  } else if (value !== null && typeof value === "object") {
    out.push(value);
    for (const [, item] of value.entries) containers(item, out);
  }
  return out;
}

interface Change {
  /** Wild: `value` goes in as it is. Same type: the member or item keeps its JSON type but takes another value. */
  kind: "wild" | "same type";
  file: File;
  /** Which object or list of the file (modulo their number); -1 replaces the whole file. */
  at: number;
  /** Which member or item to replace (modulo their number), or beyond them to add one. */
  slot: number;
  key: string;
  value: Json;
}

const change = (kinds: Change["kind"][]): fc.Arbitrary<Change> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    file: fc.constantFrom<File>("service.json", "task-definition.json"),
    at: fc.integer({ min: -1, max: 200 }),
    slot: fc.nat(20),
    key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
    value: jsonValue,
  });

/** Another value of the same JSON type: other text, other numbers, the other boolean, fewer items or members. */
function sameType(current: Json, c: Change): Json {
  const n = c.slot;
  if (typeof current === "string") return ["", "app", "x".repeat(n * 10), "FARGATE", "0", c.key][n % 6] as string;
  if (typeof current === "number") return [0, -1, 1, 2 ** 31, 0.5, 65_536][n % 6] as number;
  if (typeof current === "boolean") return !current;
  if (Array.isArray(current)) return current.slice(0, n % (current.length + 1));
  if (current !== null) return { entries: current.entries.filter((_, i) => i !== n % current.entries.length) };
  return current;
}

function changedFiles(c: Change): Record<File, string> {
  const files = { ...EXAMPLE };
  // The example's ${IMAGE_TAG} stays a template; the value is put in as written.
  const tree = fromJs(JSON.parse(EXAMPLE[c.file]));
  if (c.at < 0) {
    files[c.file] = toText(c.value);
    return files;
  }
  const all = containers(tree);
  const target = all[c.at % all.length] as Json[] | { entries: [string, Json][] };
  if (c.kind === "same type") {
    const items = Array.isArray(target) ? target : target.entries.map((e) => e[1]);
    if (items.length === 0) return files;
    const i = c.slot % items.length;
    const replaced = sameType(items[i] as Json, c);
    if (Array.isArray(target)) target[i] = replaced;
    else (target.entries[i] as [string, Json])[1] = replaced;
  } else if (Array.isArray(target)) {
    if (c.slot < target.length) target[c.slot] = c.value;
    else target.push(c.value);
  } else if (c.slot < target.entries.length) {
    (target.entries[c.slot] as [string, Json])[1] = c.value;
  } else target.entries.push([c.key, c.value]);
  files[c.file] = toText(tree);
  return files;
}

function writeContext(root: string, files: Record<File, string>): string {
  const dir = join(root, "deploy");
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The loader's verdict: problems each naming the file (and, for a JSON path, its line and column), or a context. */
function verdictOf(dir: string): { problems: string[] } | { loaded: true } {
  try {
    loadDeployContext(dir, { env: ENV });
    return { loaded: true };
  } catch (error) {
    if (!(error instanceof DeployContextError)) throw error;
    return { problems: error.problems };
  }
}

const PROBLEM = (dir: string) => new RegExp(`^${dir}/(service|task-definition)\\.json(:\\d+(:\\d+)?)?: .+`);
const INTERNAL = /TypeError|RangeError|is not a function|Cannot read propert|Internal error|is not iterable/;

describe("arbitrary JSON in a deploy context", () => {
  it("the loader names the file and where, or loads a valid context; nothing else", () => {
    const root = mkdtempSync(join(tmpdir(), "cage-shapes-"));
    let errors = 0;
    let loaded = 0;
    fc.assert(
      fc.property(change(["wild"]), (c) => {
        const dir = writeContext(join(root, String(errors + loaded)), changedFiles(c));
        const verdict = verdictOf(dir);
        if ("loaded" in verdict) loaded++;
        else {
          errors++;
          expect(verdict.problems.length).toBeGreaterThan(0);
          for (const problem of verdict.problems) expect(problem).toMatch(PROBLEM(dir));
        }
      }),
      { seed: 15, numRuns: 600 },
    );
    // Both outcomes happen: the property says something about each.
    expect(errors).toBeGreaterThan(100);
    expect(loaded).toBeGreaterThan(10);
  });

  it("through the action: a context error sends nothing to the simulator; a valid one never crashes", async () => {
    const outcomes = { refused: 0, ran: 0 };
    await fc.assert(
      fc.asyncProperty(change(["wild", "same type"]), async (c) => {
        const workspace = mkdtempSync(join(tmpdir(), "cage-shapes-ws-"));
        const dir = writeContext(workspace, changedFiles(c));
        const verdict = verdictOf(dir);
        const { sim, step } = demoStep(
          { command: "rollout", "deploy-context": dir },
          { env: { GITHUB_RUN_ID: "7", GITHUB_WORKSPACE: workspace } },
        );
        const run = await step;
        expect(run.stdout).not.toMatch(INTERNAL);
        if ("problems" in verdict) {
          outcomes.refused++;
          expect(run.exitCode).toBe(1);
          const error = run.stdout.split("\n").find((line) => line.startsWith("::error")) ?? "";
          expect(error).toContain(`${dir}/`);
          expect(sim.journal.calls()).toEqual([]);
        } else if (sim.journal.calls().length > 0) outcomes.ran++;
      }),
      { seed: 15, numRuns: 60 },
    );
    expect(outcomes.refused).toBeGreaterThan(10);
    expect(outcomes.ran).toBeGreaterThan(10);
  }, 240_000);
});
