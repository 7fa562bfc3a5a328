import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editScript, hunksOf } from "../../src/plan/diff.js";

/** The hunks as `diff -u` prints them, without its two header lines. */
function unified(a: string[], b: string[]): string {
  return hunksOf(a, b)
    .flatMap((h) => [
      `@@ -${h.from.start},${h.from.count} +${h.to.start},${h.to.count} @@`,
      ...h.lines.map((l) => `${l.kind}${l.text}`),
    ])
    .join("\n");
}

/** GNU diff's own unified output for the same lines, the reference for hunk ranges and merging. */
function gnuDiff(a: string[], b: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "cage-gnu-diff-"));
  const file = (name: string, lines: string[]) => {
    writeFileSync(join(dir, name), lines.map((l) => `${l}\n`).join(""));
    return join(dir, name);
  };
  try {
    execFileSync("diff", ["-u", file("a", a), file("b", b)], { encoding: "utf8" });
    return "";
  } catch (error) {
    const out = String((error as { stdout: string }).stdout);
    return out
      .split("\n")
      .slice(2)
      .join("\n")
      .replace(/\n$/, "")
      .replace(/^@@ -(\d+) /gm, "@@ -$1,1 ")
      .replace(/ \+(\d+) @@/gm, " +$1,1 @@");
  }
}

describe("hunksOf", () => {
  it("has no hunk for equal sides", () => {
    expect(hunksOf(["a", "b"], ["a", "b"])).toEqual([]);
  });

  it("keeps three lines of context and merges changes six or fewer lines apart", () => {
    const a = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18"];
    const b = a.map((l) => (l === "2" || l === "9" || l === "17" ? `${l}!` : l));
    expect(unified(a, b)).toBe(gnuDiff(a, b));
    expect(hunksOf(a, b)).toHaveLength(2);
  });

  it("writes an empty side as GNU diff does", () => {
    expect(unified([], ["x", "y"])).toBe("@@ -0,0 +1,2 @@\n+x\n+y");
    expect(unified(["x"], [])).toBe("@@ -1,1 +0,0 @@\n-x");
  });

  it("keeps every line of both sides, in order, for any input", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const script = editScript(a, b);
        expect(script.filter((l) => l.kind !== "+").map((l) => l.text)).toEqual(a);
        expect(script.filter((l) => l.kind !== "-").map((l) => l.text)).toEqual(b);
      }),
    );
  });

  it("shows a middle too large for the table as removed, then added", () => {
    const a = Array.from({ length: 2000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 2000 }, (_, i) => `b${i}`);
    const script = editScript(["same", ...a], ["same", ...b]);
    expect(script[0]).toEqual({ kind: " ", text: "same" });
    expect(script.slice(1, 2001).every((l) => l.kind === "-")).toBe(true);
    expect(script.slice(2001).every((l) => l.kind === "+")).toBe(true);
  });
});
