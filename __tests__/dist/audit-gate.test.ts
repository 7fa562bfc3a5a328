/**
 * The audit gate as a workflow meets it: `node dist/index.js` and `node dist/cli.js audit` against `cage sim serve`
 * on the demo world whose web:v2 scan FAILED. With the default inputs both fail; `fail-on-unscanned: none` passes
 * with a warning; the step's result, outputs, summary and exit code agree.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleStep, runScript, runtimes, type SimServer, startSimServer } from "./harness.js";

let sim: SimServer;

beforeAll(async () => {
  sim = await startSimServer("--world", "deploy-example/world.json#scan-failed");
});

afterAll(() => sim?.stop());

function action(node: string, inputs: Record<string, string>) {
  const step = exampleStep(sim.url, { command: "audit", "audit-source": "deploy-context", ...inputs });
  return runScript(node, "dist/index.js", step);
}

const output = (outputs: string, name: string) => new RegExp(`^${name}<<(\\S+)\\n(.*)\\n\\1$`, "m").exec(outputs)?.[2];

describe.each(runtimes)("the audit gate of dist/ on a FAILED scan, on %s", (_name, node) => {
  it("fails the action by default, and its outputs and summary say why", async () => {
    const run = await action(node, {});
    expect(run.code).toBe(1);
    expect(output(run.outputs, "result")).toBe("failed");
    expect(output(run.outputs, "highest-severity")).toBe("UNKNOWN");
    expect(output(run.outputs, "unscanned-count")).toBe("2");
    expect(run.log).toContain("::error title=Audit of web failed::failed: 1 image(s) without a usable scan");
    expect(run.summary).toContain("| production/web · app | <code>web:v2</code> | scan failed <sup>1</sup> | – |");
    expect(run.summary).not.toMatch(/^> No findings/m);
  }, 60_000);

  it("passes with fail-on-unscanned none, as a warning", async () => {
    const run = await action(node, { "fail-on-unscanned": "none" });
    expect(run.code).toBe(0);
    expect(output(run.outputs, "result")).toBe("succeeded");
    expect(run.log).toMatch(
      /::warning title=Audit of web passed::passed: .*warning: 1 image\(s\) without a usable scan/,
    );
  }, 60_000);

  it("fails the CLI by default, with exit code 1", () => {
    const cli = (...flags: string[]) =>
      spawnSync(
        node,
        [
          "dist/cli.js",
          "audit",
          "--region",
          "us-east-1",
          "--audit-source",
          "deploy-context",
          ...flags,
          "deploy-example",
        ],
        {
          encoding: "utf8",
          env: {
            PATH: process.env.PATH ?? "",
            AWS_ACCESS_KEY_ID: "test",
            AWS_SECRET_ACCESS_KEY: "test",
            AWS_ENDPOINT_URL: sim.url,
            IMAGE_TAG: "v2",
          },
        },
      );
    const failing = cli();
    expect(failing.status).toBe(1);
    expect(failing.stderr).toContain("audit failed: 1 image(s) without a usable scan (production/web app: FAILED)");
    expect(cli("--fail-on-unscanned", "none").status).toBe(0);
  }, 60_000);
});
