/**
 * The action's hints in its own words (issue 15, item 13): a timeout names the action's input, a command is
 * `command: up`, and the job summary shows such names as code, with no escaped backticks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newStep, runScript, type SimServer, startSimServer } from "./harness.js";

let sim: SimServer;
/** Slow enough that the canary is seen RUNNING before its health check has passed. */
let slow: SimServer;

beforeAll(async () => {
  [sim, slow] = await Promise.all([startSimServer("--time-scale", "200"), startSimServer("--time-scale", "5")]);
});

afterAll(() => {
  sim?.stop();
  slow?.stop();
});

const inputs = { command: "rollout", region: "us-east-1", "deploy-context": "deploy-example" };

describe("dist/index.js hints", () => {
  it("names 'container-health-timeout' when the containers do not turn healthy in time", async () => {
    const step = newStep(slow.url, { ...inputs, "container-health-timeout": "1ms" }, { IMAGE_TAG: "v2" });
    const r = await runScript(process.execPath, "dist/index.js", step);
    expect(r.code).not.toBe(0);
    expect(r.log).toContain("Raise 'container-health-timeout' (now");
    expect(r.summary).toContain("Raise 'container-health-timeout'");
    expect(`${r.log}${r.summary}`).not.toMatch(/task-health-check-timeout|--container-health-timeout/);
  }, 120_000);

  it("points at `command: up` for a service that does not exist, shown as code in the summary", async () => {
    const step = newStep(sim.url, { ...inputs, service: "nosuch" }, { IMAGE_TAG: "v2" });
    const r = await runScript(process.execPath, "dist/index.js", step);
    expect(r.code).not.toBe(0);
    expect(r.log).toContain("Create it first with `command: up`, or fix 'cluster' or 'service'.");
    expect(r.summary).toContain("Create it first with <code>command: up</code>");
    expect(r.summary).not.toContain("\\`");
    expect(`${r.log}${r.summary}`).not.toContain("cage up");
  }, 120_000);
});
