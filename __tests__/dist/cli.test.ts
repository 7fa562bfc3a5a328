/**
 * `node dist/cli.js` as a user runs it: stdout and stderr into one file, in the order the terminal shows them;
 * under this process's Node and, when CAGE_NODE24 names a binary, Node 24.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runtimes } from "./harness.js";

const version = JSON.parse(readFileSync("package.json", "utf8")).version;

function cage(node: string, args: string[]): { code: number | null; log: string } {
  const dir = mkdtempSync(join(tmpdir(), "cage-cli-"));
  const file = join(dir, "log");
  const fd = openSync(file, "w");
  const run = spawnSync(node, ["dist/cli.js", ...args], { stdio: ["ignore", fd, fd], env: { PATH: process.env.PATH } });
  closeSync(fd);
  return { code: run.status, log: readFileSync(file, "utf8") };
}

describe.each(runtimes)("dist/cli.js on %s", (_name, node) => {
  it("prints package.json's version for --version", () => {
    expect(cage(node, ["--version"])).toEqual({ code: 0, log: `${version}\n` });
  });

  it("runs the demo with at most one note about Node.js, before the timeline, and no SDK warning", () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-cli-"));
    const { code, log } = cage(node, ["demo", "--variant", "crash", "--summary", join(dir, "summary.md")]);
    expect(code).toBe(1);
    expect(log).not.toContain("NodeVersionSupportWarning");
    expect(log).not.toMatch(/\(node:\d+\) Warning/);
    const notes = log.split("\n").filter((line) => line.includes("is past its end of life"));
    const major = Number(spawnSync(node, ["-p", "process.versions.node.split('.')[0]"]).stdout.toString());
    if (major < 22) {
      expect(notes).toHaveLength(1);
      expect(log.startsWith(notes[0] as string)).toBe(true);
    } else {
      expect(notes).toEqual([]);
    }
    expect(log).toMatch(/✘ failed: Canary task .* exited with code 1/);
  }, 60_000);

  it("finishes the demo, summary included, when the reader of its stdout goes away (| head -1)", () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-cli-"));
    const summary = join(dir, "summary.md");
    const run = spawnSync("sh", ["-c", `"$0" dist/cli.js demo --summary "$1" | head -1`, node, summary], {
      env: { PATH: process.env.PATH },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
    expect(readFileSync(summary, "utf8")).toContain("### Rollout of web succeeded");
  }, 60_000);
});
