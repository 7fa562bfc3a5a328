import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OUTPUT_NAMES } from "../../src/action/outputs.js";
import { actionYml } from "./harness.js";

const root = join(import.meta.dirname, "../..");
const declaredInputs = Object.keys(actionYml.inputs).sort();
const declaredOutputs = Object.keys(actionYml.outputs).sort();

describe("action.yml contract", () => {
  it("sets every declared output, and only those", () => {
    expect([...OUTPUT_NAMES].sort()).toEqual(declaredOutputs);
  });

  it("declares a description and a default for every input", () => {
    for (const [name, spec] of Object.entries(actionYml.inputs) as [
      string,
      { description?: string; default?: unknown },
    ][]) {
      expect(spec.description, name).toBeTruthy();
      expect(typeof spec.default, name).toBe("string");
    }
  });

  it("runs on node24 with a post step that always runs", () => {
    const runs = (actionYml as unknown as { runs: Record<string, string> }).runs;
    expect(runs).toEqual({ using: "node24", main: "dist/index.js", post: "dist/post.js", "post-if": "always()" });
  });

  it("documents every input and output in the README, generated from action.yml", () => {
    execFileSync(process.execPath, ["scripts/readme-tables.mjs", "--check"], { cwd: root });
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const documented = (kind: string) =>
      [
        ...(readme.split(`<!-- ${kind}:start -->`)[1]?.split(`<!-- ${kind}:end -->`)[0] ?? "").matchAll(
          /^\| `([^`]+)` \|/gm,
        ),
      ]
        .map((m) => m[1])
        .sort();
    expect(documented("inputs")).toEqual(declaredInputs);
    expect(documented("outputs")).toEqual(declaredOutputs);
  });
});
