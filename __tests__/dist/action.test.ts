/**
 * The action's external contract, run as GitHub runs it: `node dist/index.js` with INPUT_* variables and the
 * GITHUB_* files, against `cage sim serve` on loopback; under Node 20 and, when CAGE_NODE24 names a binary, Node 24.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleStep, newStep, runScript, runtimes, type SimServer, startSimServer } from "./harness.js";

let sim: SimServer;
const version = JSON.parse(readFileSync("package.json", "utf8")).version;

beforeAll(async () => {
  sim = await startSimServer("--time-scale", "200");
});

afterAll(() => {
  sim?.stop();
});

describe.each(runtimes)("dist/index.js on %s", (_name, node) => {
  it("rolls the example out and publishes outputs and the job summary", async () => {
    const step = exampleStep(sim.url, { command: "rollout", "canary-task-idle-duration": "0s" });
    const r = await runScript(node, "dist/index.js", step);
    expect(r.log).not.toMatch(/Cannot find module|webpackMissingModule/);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatch(/^result<<.*\nsucceeded\n/m);
    expect(r.outputs).toMatch(/task-definition-arn<<.*\narn:aws:ecs:us-east-1:123456789012:task-definition\/web:\d+\n/);
    expect(r.summary).toContain("> [!TIP]");
    expect(r.log).toContain("::group::");
  }, 120_000);

  it("fails cleanly, naming the input, before any AWS call", async () => {
    const step = newStep(sim.url, {
      command: "rollout",
      "canary-task-idle-duration": "ten",
      "deploy-context": "deploy-example",
    });
    const r = await runScript(node, "dist/index.js", step);
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/::error::.*'canary-task-idle-duration' must be a duration/);
    expect(r.log).not.toMatch(/\n\s+at /);
    expect(r.outputs).toMatch(/^result<<.*\nfailed\n/m);
    expect(r.summary).toContain("### An input of the step is not valid");
    expect(r.summary).toContain("'canary-task-idle-duration' must be a duration");
  }, 60_000);

  it("setup puts cage on PATH from the tool cache under package.json's version", async () => {
    const cache = mkdtempSync(join(tmpdir(), "cage-tool-cache-"));
    const step = newStep(sim.url, { command: "setup" });
    const path = join(step.env.RUNNER_TEMP as string, "path");
    writeFileSync(path, "");
    const r = await runScript(node, "dist/index.js", step, { RUNNER_TOOL_CACHE: cache, GITHUB_PATH: path });
    expect(r.code, r.log).toBe(0);
    const dir = join(cache, "cage", version, process.arch);
    expect(readFileSync(path, "utf8").trim()).toBe(dir);
    expect(r.log).toMatch(new RegExp(`cage ${version.replace(/\./g, "\\.")}\\+[0-9a-f]{12} is on PATH from `));
    const printed = spawnSync(join(dir, "cage"), ["--version"], {
      env: { PATH: `${dirname(node)}:${process.env.PATH}` },
    });
    expect(printed.stdout.toString()).toBe(`${version}\n`);
  }, 60_000);

  it("says how to give it credentials when it finds none, and leaves the service as it was", async () => {
    const step = exampleStep(sim.url, { command: "rollout" }, { IMAGE_TAG: "v3", AWS_EC2_METADATA_DISABLED: "true" });
    delete step.env.AWS_ACCESS_KEY_ID;
    delete step.env.AWS_SECRET_ACCESS_KEY;
    const r = await runScript(node, "dist/index.js", step);
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(
      /::error[^:]*::.*No AWS credentials were found.*aws-actions\/configure-aws-credentials.*The service was not changed/,
    );
    expect(r.outputs).toMatch(/^result<<.*\nfailed\n/m);
    expect(r.summary).toContain("No AWS credentials were found");
  }, 60_000);
});
