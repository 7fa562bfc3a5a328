/** canary-metrics through the action's main step on the real engine against the demo world. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoStep } from "./demo-step.js";

const inputs = { command: "rollout", "canary-soak": "3m", "canary-metrics": "deploy-example/canary-metrics.yml" };
const webService = async (sim: ReturnType<typeof demoStep>["sim"]) =>
  (await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];

describe("the action with canary-metrics", () => {
  it("soak-metric: the check fails the step, its comparison first in the summary, a table of evaluations, the service unchanged", async () => {
    const { sim, step } = demoStep(inputs, { variant: "soak-metric", env: { GITHUB_WORKSPACE: process.cwd() } });
    const before = await webService(sim);
    const run = await step;
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(run.summary).toMatch(
      /^### Rollout of web failed\n\n> \[!CAUTION\]\n> Metric check 'error rate' failed during the canary soak: 0\.05 &gt; 0\.01 \\\(2 of 2\\\)\. /,
    );
    expect(run.summary).toContain("#### Metric checks\n\n| Time | Metric | Comparison | Outcome |");
    expect(run.summary).toContain("in 'canary-metrics'");
    expect(run.stdout).toMatch(/metric error rate 0\.05 > 0\.01 \(1 of 2\)/);
    expect((await webService(sim))?.taskDefinition).toBe(before?.taskDefinition);
  });

  it("a file outside the workspace is refused, naming the input, before any AWS call", async () => {
    const outside = join(mkdtempSync(join(tmpdir(), "cage-outside-")), "checks.yml");
    writeFileSync(outside, "metrics: []\n");
    const { sim, step } = demoStep(
      { ...inputs, "canary-metrics": outside },
      { env: { GITHUB_WORKSPACE: process.cwd() } },
    );
    const run = await step;
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `'canary-metrics' names '${outside}', which cannot be read: it is outside the workspace`,
    );
    expect(sim.journal.calls()).toEqual([]);
  });
});
