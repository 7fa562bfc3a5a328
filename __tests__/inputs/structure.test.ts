/**
 * The input layer's structure, measured as issue 16 asks: no import cycle through the input files and the front
 * ends that read them (scripts/import-cycles.mjs walks src/; extend OWNED as other parts lose their cycles), and
 * one InputError class.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module script, without types
import { importCycles, importGraph } from "../../scripts/import-cycles.mjs";

const OWNED = ["src/inputs/", "src/action/", "src/cli/"];

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });

describe("the input layer", () => {
  it("finds a cycle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(importCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("has no import cycle through the input files and the front ends", () => {
    const graph = importGraph("src") as Map<string, string[]>;
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/action/inputs.ts")).toContain("src/inputs/read.ts");
    const cycles = (importCycles(graph) as string[][]).filter((c) => c.some((f) => OWNED.some((p) => f.startsWith(p))));
    expect(cycles).toEqual([]);
  });

  it("declares InputError once", () => {
    const declaring = sources("src").filter((file) => /class InputError\b/.test(readFileSync(file, "utf8")));
    expect(declaring).toEqual(["src/inputs/validate.ts"]);
  });
});
