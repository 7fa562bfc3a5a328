/**
 * Workflow-command injection, end to end: in this world someone else stops the canary with workflow commands and
 * terminal escapes as the stop reason, the log router exits with them as its reason, and web:v2's scan has findings
 * whose name, package, version, URI and description carry them. The CLI (`node dist/cli.js`, as a `run:` step runs
 * it) and the action (`node dist/index.js` with INPUT_*), against `cage sim serve`, print none of it in a form the
 * runner or a terminal would act on, and still show its words.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actingParts, PAYLOAD, PAYLOAD_INERT, PAYLOAD_WORDS } from "../action/runner-log.js";
import { exampleStep, runScript, runtimes, type SimServer, startSimServer } from "./harness.js";

const WEB_V2 = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2";
const LOG_ROUTER = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";

function hostileWorld(): string {
  const world = JSON.parse(readFileSync("deploy-example/world.json", "utf8"));
  world.images[WEB_V2] = { bootSeconds: 25, healthyAfterSeconds: 10, stopTaskAfterSeconds: 5, stopTaskReason: PAYLOAD };
  world.images[LOG_ROUTER] = { bootSeconds: 5, exitAfterSeconds: 2, exitReason: PAYLOAD };
  const v2 = world.ecr.repositories[0].images.find((i: { tags: string[] }) => i.tags.includes("v2"));
  v2.scan.findings.list.push(
    {
      name: `CVE-2026-0001\n::error title=Finding::pwned`,
      severity: "CRITICAL",
      description: PAYLOAD,
      uri: "https://evil.example/\n::add-mask::uri",
      packageName: PAYLOAD,
      packageVersion: "1.0\n::stop-commands::v",
      fixedInVersion: "1.1 ##[add-mask]fix",
      score: 9.8,
    },
    { name: "CVE-2026-0002", severity: "HIGH", description: "\u001b[2J\u001b[Hcleared", packageName: "pkg" },
  );
  const file = join(mkdtempSync(join(tmpdir(), "cage-hostile-")), "world.json");
  writeFileSync(file, JSON.stringify(world));
  return file;
}

let sim: SimServer;

beforeAll(async () => {
  sim = await startSimServer("--world", hostileWorld(), "--time-scale", "200");
});

afterAll(() => {
  sim?.stop();
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(node: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: tmpdir(),
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL: sim.url,
      IMAGE_TAG: "v2",
    };
    const child = spawn(node, ["dist/cli.js", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The payload's words are there, inert: its line break and escape shown, not acted on. */
function expectShown(log: string): void {
  for (const word of PAYLOAD_WORDS) expect(log).toContain(word);
  for (const shown of PAYLOAD_INERT) expect(log).toContain(shown);
}

describe.each(runtimes)("hostile text from AWS on %s", (_name, node) => {
  it("cage rollout prints the stop reasons inert", async () => {
    const r = await cli(node, [
      "rollout",
      "--region",
      "us-east-1",
      "--canary-task-idle-duration",
      "0s",
      "deploy-example",
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/UserInitiated/);
    expect(actingParts(r.stdout)).toEqual([]);
    expect(actingParts(r.stderr)).toEqual([]);
    expectShown(r.stdout + r.stderr);
  }, 120_000);

  it("cage audit prints the findings inert in its table and detail, and keeps them exact in --json", async () => {
    const args = ["audit", "--region", "us-east-1", "--audit-source", "deploy-context", "deploy-example"];
    const text = await cli(node, [...args, "--detail"]);
    expect(text.code, text.stderr).toBe(0);
    expect(actingParts(text.stdout)).toEqual([]);
    expect(actingParts(text.stderr)).toEqual([]);
    expectShown(text.stdout);
    expect(text.stdout).toContain("\\u001b[2J\\u001b[Hcleared");

    const json = await cli(node, [...args, "--json"]);
    expect(actingParts(json.stdout)).toEqual([]);
    const vulns = JSON.parse(json.stdout).vulns as { cve: { name: string; description: string } }[];
    expect(vulns.map((v) => v.cve.description)).toContain(PAYLOAD);
  }, 120_000);

  it("the action's rollout log and verdict annotation carry the stop reasons inert", async () => {
    const step = exampleStep(sim.url, { command: "rollout", "canary-task-idle-duration": "0s" });
    const r = await runScript(node, "dist/index.js", step);
    expect(r.code).not.toBe(0);
    expect(r.outputs).toMatch(/^result<<.*\nfailed\n/m);
    const problems = actingParts(r.log, { group: "any", endgroup: "any", warning: "any", error: 1 });
    expect(problems).toEqual([]);
    expect(r.log).toMatch(/^::error title=[^:\n]*::.*UserInitiated: ops\\n::error title=Deploy OK::pwned/m);
    expectShown(r.log);
  }, 120_000);

  it("the action's audit log and its annotations stay inert", async () => {
    const step = exampleStep(sim.url, { command: "audit", "audit-source": "deploy-context", "fail-on": "critical" });
    const r = await runScript(node, "dist/index.js", step);
    expect(r.code).not.toBe(0);
    // One annotation on the image's line in task-definition.json, one for the verdict.
    const problems = actingParts(r.log, { group: "any", endgroup: "any", warning: "any", error: 2 });
    expect(problems).toEqual([]);
    expect(r.log).toMatch(/^::error title=app[^\n]*file=deploy-example\/task-definition.json/m);
  }, 120_000);
});
