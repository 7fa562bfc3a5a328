import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { systemClock } from "../../src/engine/clock.js";

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
