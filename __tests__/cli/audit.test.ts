import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { auditCommand } from "../../src/cli/commands/audit.js";
import { sarifProblems } from "../audit/sarif-constraints.js";
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

  const deployContext = ["audit", "--region", "us-east-1", "--audit-source", "deploy-context", "deploy-example"];

  it.each([
    ["scan-failed", "FAILED", []],
    ["unsupported-image", "UNSUPPORTED_IMAGE", []],
    ["scan-in-progress", "IN_PROGRESS", ["--scan-wait-timeout", "30s"]],
  ])(
    "fails by default on a private image whose scan is unusable (%s), with – in its counts",
    async (variant, status, flags) => {
      const { out, err, run } = setup(variant);
      expect(await run([...deployContext, ...flags])).toBe(1);
      const text = out.join("\n");
      expect(text).toMatch(new RegExp(`^production/web\\s+app\\s+web:v2@\\w+\\s+${status}(\\s+-){8}$`, "m"));
      expect(text).toContain("Total: of 2 rows, 1 has no usable scan and 1 cannot be scanned by ECR (reasons above)");
      expect(text).not.toMatch(/Total: no vulnerabilities found/);
      expect(err.join("\n")).toContain(
        `audit failed: 1 image(s) without a usable scan (production/web app: ${status})`,
      );
    },
  );

  it("passes a FAILED scan with --fail-on-unscanned none, saying so as a warning", async () => {
    const { out, err, run } = setup("scan-failed");
    expect(await run([...deployContext, "--fail-on-unscanned", "none"])).toBe(0);
    expect(err).toEqual([]);
    expect(out.join("\n")).toContain(
      "audit passed: fail-on is none, so findings do not fail the audit; warning: 1 image(s) without a usable scan " +
        "(production/web app: FAILED); 1 image(s) ECR cannot scan (production/web log-router: NOT_SCANNABLE)",
    );
  });

  it("only warns about a public image by default, and fails on it with --fail-on-unscanned all", async () => {
    const passing = setup();
    expect(await passing.run(["audit", "--region", "us-east-1", "deploy-example"])).toBe(0);
    expect(passing.out.join("\n")).toContain(
      "audit passed: fail-on is none, so findings do not fail the audit; warning: 1 image(s) ECR cannot scan " +
        "(production/web log-router: NOT_SCANNABLE)",
    );
    const failing = setup();
    expect(await failing.run(["audit", "--region", "us-east-1", "--fail-on-unscanned", "all", "deploy-example"])).toBe(
      1,
    );
    expect(failing.err.join("\n")).toContain("audit failed: 1 image(s) ECR cannot scan");
  });

  it("refuses a --fail-on-unscanned value it does not know, naming the flag and the values", async () => {
    const { run } = setup();
    await expect(
      run(["audit", "--region", "us-east-1", "--fail-on-unscanned", "public", "deploy-example"]),
    ).rejects.toThrow("--fail-on-unscanned must be one of private, all, none, got 'public'");
  });

  it.each([
    // deploy-context: the file and line of the container's image, named from the repository's root.
    ["deploy-context", "critical-findings", "deploy-example/task-definition.json", 13],
    // The running tasks' and the service's task definition come from ECS, not from a file: the image's name.
    ["running", undefined, "123456789012.dkr.ecr.us-east-1.amazonaws.com/web", 1],
    ["task-definition", undefined, "123456789012.dkr.ecr.us-east-1.amazonaws.com/web", 1],
  ])("writes SARIF code scanning accepts with --audit-source %s, located at %s", async (source, variant, uri, line) => {
    const { run } = setup(variant);
    const file = join(mkdtempSync(join(tmpdir(), "cage-sarif-")), "audit.sarif");
    await run(["audit", "--region", "us-east-1", "--audit-source", source, "--sarif", file, resolve("deploy-example")]);
    const sarif = JSON.parse(readFileSync(file, "utf8"));
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    expect(sarifProblems(sarif)).toEqual([]);
    const places = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation);
    expect(new Set(places.map((p: any) => `${p.artifactLocation.uri}:${p.region.startLine}`))).toEqual(
      new Set([`${uri}:${line}`]),
    );
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
    expect(md).toMatch(/\| production\/web · app \|/);
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
