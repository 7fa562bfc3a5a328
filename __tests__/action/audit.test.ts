import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { imageLine } from "../../src/action/annotations.js";
import type { AuditOutcome, AuditSettings, Engine } from "../../src/action/engine.js";
import { runAction } from "../../src/action/main.js";
import { runSetup } from "../../src/action/setup.js";
import type { AuditReport } from "../../src/audit/index.js";
import { auditReport, container, finding, service } from "../report/audit-fixtures.js";
import { context, recordingAws, replayEngine } from "./fake-engine.js";
import { runStep } from "./harness.js";

const env = { AWS_REGION: "us-west-2" };

const report: AuditReport = auditReport([
  service("web", [
    container(
      "app",
      [
        finding("CVE-2026-0001", "CRITICAL", {
          packages: [{ name: "openssl", version: "3.0.1", fixedIn: "3.0.9" }],
          fixable: true,
          uri: "https://nvd.nist.gov/vuln/detail/CVE-2026-0001",
          description: "<script>alert(1)</script> @octocat",
        }),
        finding("CVE-2026-0002", "HIGH"),
      ],
      { image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/web:v43", digest: "sha256:abcdef0123456789" },
    ),
    container("sidecar", [], {
      image: "public.ecr.aws/nginx/nginx:1",
      status: "NOT_SCANNABLE",
      reason: "public.ecr.aws images are not scanned by ECR",
    }),
  ]),
]);

const gateFailed = { failed: true, reason: "failed: 1 finding(s) at or above CRITICAL (1 CRITICAL): CVE-2026-0001" };
const json = (r: AuditReport) => JSON.stringify({ schemaVersion: 1, services: r.services.length });

function auditEngine(outcome: AuditOutcome, seen: AuditSettings[] = []): Engine {
  return {
    ...replayEngine({ events: [] }),
    audit: async (settings) => {
      seen.push(settings);
      return outcome;
    },
  };
}

describe("command: audit", () => {
  it("publishes counts, the JSON and SARIF files, the table, and fails the step on the gate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-audit-"));
    const seen: AuditSettings[] = [];
    const engine = auditEngine({ report, gate: gateFailed, json: json(report), sarif: '{"version":"2.1.0"}' }, seen);
    const step = await runStep(
      () => runAction({ engine, aws: () => recordingAws([]) }),
      { command: "audit", "deploy-context": "deploy", "sarif-file": join(dir, "audit.sarif"), detail: "true" },
      { env, dir },
    );
    expect(seen[0]).toMatchObject({
      source: "running",
      failOn: "critical",
      failOnUnscanned: "private",
      sarif: true,
      targets: [{ region: "us-west-2", cluster: "prod", service: "web", context }],
    });
    expect(step.outputs).toMatchObject({
      result: "failed",
      "highest-severity": "CRITICAL",
      "critical-count": "1",
      "high-count": "1",
      "medium-count": "0",
      "low-count": "0",
      "fixable-count": "1",
      "unscanned-count": "1",
      "sarif-file": join(dir, "audit.sarif"),
    });
    expect(readFileSync(join(dir, "audit.sarif"), "utf8")).toBe('{"version":"2.1.0"}');
    expect(JSON.parse(readFileSync(step.outputs["audit-json"] as string, "utf8"))).toEqual({
      schemaVersion: 1,
      services: 1,
    });
    expect(step.summary).toMatch(
      /^### Audit of web failed\n\n> \[!CAUTION\]\n> failed: 1 finding\\\(s\\\) at or above CRITICAL/,
    );
    expect(step.summary).toContain("| prod/web · app | <code>web:v43</code> | scanned | 1 | 1 | 0 | 0 | 0 | 1 | 0 |");
    expect(step.summary).toContain(
      "- prod/web app: <code>123456789012.dkr.ecr.us-west-2.amazonaws.com/web:v43</code> <code>sha256:abcdef012345",
    );
    expect(step.summary).toContain("NOT\\_SCANNABLE: public.ecr.aws images are not scanned by ECR");
    expect(step.summary).toContain("[CVE-2026-0001](https://nvd.nist.gov/vuln/detail/CVE-2026-0001)");
    expect(step.summary).not.toMatch(/<script|@octocat/);
    expect(step.stdout).toContain("::error title=Audit of web failed::failed: 1 finding(s) at or above CRITICAL");
    expect(step.exitCode).toBe(1);
  });

  it("passes and leaves the SARIF output empty when no SARIF was asked for", async () => {
    const clean = auditReport([service("web", [container("app", [])])]);
    const engine = auditEngine({
      report: clean,
      gate: { failed: false, reason: "passed: no finding at or above CRITICAL" },
      json: json(clean),
    });
    const step = await runStep(
      () => runAction({ engine, aws: () => recordingAws([]) }),
      { command: "audit", cluster: "prod", service: "web" },
      { env },
    );
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({
      result: "succeeded",
      "highest-severity": "NONE",
      "critical-count": "0",
      "unscanned-count": "0",
      "sarif-file": "",
    });
    expect(step.stdout).toContain("::notice title=Audit of web passed::passed: no finding at or above CRITICAL");
  });
});

describe("command: setup", () => {
  it("puts a working cage launcher on PATH through the tool cache", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-setup-"));
    const cli = join(dir, "cli.js");
    writeFileSync(cli, 'console.log("cage", process.argv.slice(2).join(" "));\n');
    const step = await runStep(
      () => runSetup({} as never, { RUNNER_TEMP: dir }, cli).then(() => undefined),
      { command: "setup" },
      { env: { RUNNER_TOOL_CACHE: join(dir, "tool-cache") }, dir },
    );
    const binDir = step.path.trim();
    expect(binDir.startsWith(join(dir, "tool-cache", "cage"))).toBe(true);
    const launcher = join(binDir, "cage");
    expect(existsSync(launcher)).toBe(true);
    chmodSync(launcher, 0o755);
    expect(execFileSync(launcher, ["audit", "--json"], { encoding: "utf8" })).toBe("cage audit --json\n");
  });

  it("copies the CLI's bundle folder and its chunks along with its entry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-setup-"));
    const dist = join(dir, "dist");
    mkdirSync(join(dist, "cli"), { recursive: true });
    writeFileSync(join(dist, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dist, "cli.js"), 'import "./cli/index.js";\n');
    writeFileSync(
      join(dist, "cli", "index.js"),
      'const { name } = await import("./1.index.js");\nconsole.log(name, process.argv.slice(2).join(" "));\n',
    );
    writeFileSync(join(dist, "cli", "1.index.js"), 'export const name = "cage";\n');
    const step = await runStep(
      () => runSetup({} as never, { RUNNER_TEMP: dir }, join(dist, "cli.js")).then(() => undefined),
      { command: "setup" },
      { env: { RUNNER_TOOL_CACHE: join(dir, "tool-cache") }, dir },
    );
    const launcher = join(step.path.trim(), "cage");
    chmodSync(launcher, 0o755);
    expect(execFileSync(launcher, ["rollout", "ctx"], { encoding: "utf8" })).toBe("cage rollout ctx\n");
  });

  it("says the bundle is incomplete when the CLI is missing", async () => {
    await expect(runSetup({} as never, {}, "/nonexistent/cli.js")).rejects.toThrow(
      "The cage CLI bundle is missing at /nonexistent/cli.js",
    );
  });
});

const taskDefinitionText = `{
  "family": "web",
  "containerDefinitions": [
    {
      "name": "sidecar",
      "image": "public.ecr.aws/nginx/nginx:1"
    },
    {
      "name": "app",
      "essential": true,
      "image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/web:v43"
    }
  ]
}`;

describe("annotations on task-definition.json", () => {
  it.each([
    ["app", 11],
    ["sidecar", 6],
    ["ghost", undefined],
  ])("finds the line of %s's image", (container, line) => {
    expect(imageLine(taskDefinitionText, container)).toBe(line);
  });

  it("annotates each image at or above fail-on on its line, as errors when the gate fails", async () => {
    const engine = {
      ...auditEngine({ report, gate: gateFailed, json: json(report) }),
      loadContext: async () => ({ ...context, taskDefinitionText }),
    };
    const step = await runStep(
      () => runAction({ engine, aws: () => recordingAws([]) }),
      { command: "audit", "deploy-context": "deploy", "fail-on": "high" },
      { env },
    );
    expect(step.stdout).toContain(
      "::error title=app%3A 1 CRITICAL%2C 1 HIGH,file=deploy/task-definition.json,line=11::",
    );
    expect(step.stdout).not.toContain("line=6");
  });
});
