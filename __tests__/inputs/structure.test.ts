/**
 * The structure issue 16 measures: no import cycle anywhere in src/ (scripts/import-cycles.mjs), and one
 * InputError class.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module script, without types
import { importCycles, importGraph } from "../../scripts/import-cycles.mjs";

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });

describe("the structure of src/", () => {
  it("finds a cycle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(importCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("has no import cycle in src/", () => {
    const graph = importGraph("src") as Map<string, string[]>;
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/action/inputs.ts")).toContain("src/inputs/read.ts");
    expect(importCycles(graph)).toEqual([]);
  });

  it("declares InputError once", () => {
    const declaring = sources("src").filter((file) => /class InputError\b/.test(readFileSync(file, "utf8")));
    expect(declaring).toEqual(["src/inputs/validate.ts"]);
  });
});
