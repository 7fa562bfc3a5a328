import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { systemClock } from "../../src/shared/clock.js";

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env, clock: systemClock };
  return { io, out, err };
}

describe("cage CLI", () => {
  it("lists every command and the demo in --help", async () => {
    const { io, out } = capture();
    expect(await runCli(["--help"], io)).toBe(0);
    const text = out.join("\n");
    for (const command of ["up", "rollout", "run", "audit", "cleanup", "demo", "sim"]) {
      expect(text).toMatch(new RegExp(`^  ${command} `, "m"));
    }
    expect(text).toContain("--canary-task-idle-duration <duration>");
    expect(text).toContain("[--canaryTaskIdleDuration, CAGE_CANARY_TASK_IDLE_DURATION]");
  });

  it("shows only a command's own flags in its help", async () => {
    const { io, out } = capture();
    expect(await runCli(["audit", "--help"], io)).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("usage: cage audit [flags] [<deploy-context>...]");
    expect(text).toContain("--fail-on");
    expect(text).not.toContain("--canary-instance-arn");
  });

  it.each(["rollout", "audit", "up", "run", "cleanup"])(
    "keeps every flag apart from its description in %s --help",
    async (command) => {
      const { io, out } = capture();
      expect(await runCli([command, "--help"], io)).toBe(0);
      const flagLines = out
        .join("\n")
        .split("\n")
        .filter((line) => line.startsWith("  --"));
      expect(flagLines.length).toBeGreaterThan(3);
      for (const line of flagLines) expect(line).toMatch(/^ {2}--\S+( <[^>]+>)?( {2,}\S|$)/);
    },
  );

  it.each([["--version"], ["version"]])("prints package.json's version for %s", async (arg) => {
    const { io, out, err } = capture();
    expect(await runCli([arg], io)).toBe(0);
    expect(out).toEqual([JSON.parse(readFileSync("package.json", "utf8")).version]);
    expect(err).toEqual([]);
  });

  it("says once, before anything else, that a Node.js past its end of life will lose AWS SDK support", async () => {
    const { io, out, err } = capture();
    io.nodeVersion = "v20.20.2";
    await runCli(["demo", "--variant", "crash", "--summary", join(mkdtempSync(join(tmpdir(), "cage-")), "s.md")], io);
    const notes = err.filter((line) => line.includes("Node.js v20.20.2 is past its end of life"));
    expect(notes).toEqual([
      "cage: note: Node.js v20.20.2 is past its end of life; cage still runs on it, but the AWS SDK it uses needs Node.js 22 or later from January 2027: upgrade Node.js.",
    ]);
    expect(err[0]).toBe(notes[0]);
    expect(out.length).toBeGreaterThan(10);
  });

  it("says nothing about Node.js 24", async () => {
    const { io, err } = capture();
    io.nodeVersion = "v24.3.0";
    await runCli(["audit", "--region", "us-east-1"], io);
    expect(err.join("\n")).not.toContain("end of life");
  });

  it("prints usage to stderr and exits 2 without a command", async () => {
    const { io, err } = capture();
    expect(await runCli([], io)).toBe(2);
    expect(err.join("\n")).toContain("usage: cage <command>");
  });

  it("fails with one line naming the bad flag", async () => {
    const { io, err } = capture();
    expect(await runCli(["rollout", "--canary-task-idle-durration", "5s", "ctx"], io)).toBe(2);
    expect(err).toEqual(["cage: unknown flag --canary-task-idle-durration; did you mean --canary-task-idle-duration?"]);
  });
});
