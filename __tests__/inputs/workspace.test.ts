import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workspaceEscape } from "../../src/inputs/workspace.js";

/** A workspace `ws` next to a folder `out`, with links of every kind inside the workspace. */
function tree() {
  const root = mkdtempSync(join(tmpdir(), "cage-real-"));
  const ws = join(root, "ws");
  const out = join(root, "out");
  mkdirSync(join(ws, "sub"), { recursive: true });
  mkdirSync(out);
  writeFileSync(join(ws, "sub", "file.json"), "{}");
  writeFileSync(join(out, "file.json"), "{}");
  symlinkSync(join(out, "file.json"), join(ws, "to-out-file"));
  symlinkSync(out, join(ws, "to-out-dir"));
  symlinkSync(join(out, "missing.sarif"), join(ws, "dangling-out"));
  symlinkSync("sub/file.json", join(ws, "to-inside"));
  symlinkSync("sub/missing.sarif", join(ws, "dangling-inside"));
  symlinkSync("loop-b", join(ws, "loop-a"));
  symlinkSync("loop-a", join(ws, "loop-b"));
  return { ws, out };
}

describe("workspaceEscape", () => {
  it.each([
    ["a file in the workspace", "sub/file.json", undefined],
    ["a file to be created in the workspace", "sub/new.sarif", undefined],
    ["a link that stays inside", "to-inside", undefined],
    ["a dangling link that would create a file inside", "dangling-inside", undefined],
    ["a path outside as written", "../out/file.json", "outside"],
    ["a link to a file outside", "to-out-file", "link"],
    ["a file under a folder link that leads outside", "to-out-dir/file.json", "link"],
    ["a file to be created under a folder link that leads outside", "to-out-dir/sub/new.sarif", "link"],
    ["a dangling link that would create a file outside", "dangling-out", "link"],
    ["links that loop", "loop-a", "link"],
  ])("%s → %s", (_, path, expected) => {
    const { ws } = tree();
    expect(workspaceEscape(ws, join(ws, path))).toBe(expected);
  });
});
