import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { auditCommand } from "../../src/cli/commands/audit.js";
import { demoWorld } from "./sim-io.js";

function setup(variant?: string) {
  const { sim, out, err, io, ports } = demoWorld(variant);
  const run = (argv: string[]) => auditCommand(parseCommandLine(argv, io.env), io, ports);
  return { sim, out, err, run };
}

describe("cage audit", () => {
  it("prints a row per container of the running service, the public image included with its reason", async () => {
    const { out, run } = setup();
    expect(await run(["audit", "--region", "us-east-1", "deploy-example"])).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/app .*web:v1/);
    expect(text).toMatch(/log-router .*NOT_SCANNABLE/);
  });

  it("fails the gate with exit 1 when a finding reaches --fail-on", async () => {
    const { err, run } = setup("critical-findings");
    expect(
      await run([
        "audit",
        "--region",
        "us-east-1",
        "--fail-on",
        "critical",
        "--audit-source",
        "deploy-context",
        "deploy-example",
      ]),
    ).toBe(1);
    expect(err.join("\n")).toMatch(/CRITICAL/);
  });

  it("writes the job summary to --summary: the verdict, then a row per container", async () => {
    const { err, run } = setup("critical-findings");
    const summary = join(mkdtempSync(join(tmpdir(), "cage-audit-")), "summary.md");
    const source = ["--audit-source", "deploy-context", "deploy-example"];
    const argv = ["audit", "--region", "us-east-1", "--fail-on", "high", "--summary", summary, ...source];
    expect(await run(argv)).toBe(1);
    expect(err).toContain(`summary written to ${summary}`);
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("### Audit of web failed\n\n> [!CAUTION]\n> failed: 7 finding")).toBe(true);
    expect(md).toMatch(/\| production\/web \| app \|/);
  });

  it("prints canarycage-compatible JSON with --json", async () => {
    const { out, run } = setup();
    expect(await run(["audit", "--region", "us-east-1", "--json", "production/web"])).toBe(0);
    const json = JSON.parse(out.join("\n"));
    expect(json).toMatchObject({ region: "us-east-1", cluster: "production", service: "web" });
    expect(json.summary).toHaveProperty("highest_severity");
  });

  it("asks for a target when none is given", async () => {
    const { run } = setup();
    await expect(run(["audit", "--region", "us-east-1"])).rejects.toThrow(/say what to audit/);
  });
});
