/** The action's `verify` command and `dry-run` input on the simulator: log, summary table, outputs, exit code. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { demoStep } from "./demo-step.js";

describe("command: verify", () => {
  it("passes the demo: the checklist in the log, a table in the summary, verify-result passed", async () => {
    const { sim, step } = demoStep({ command: "verify" });
    const run = await step;
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.outputs["verify-result"]).toBe("passed");
    const report = JSON.parse(readFileSync(run.outputs["verify-json"] as string, "utf8"));
    expect(report.counts.NG).toBe(0);
    expect(report.counts.OK).toBeGreaterThan(5);
    expect(run.stdout).toMatch(/^\[OK\] {3}cluster production is ACTIVE: ACTIVE$/m);
    expect(run.summary).toMatch(/^### Verify passed$/m);
    expect(run.summary).toMatch(/^\| `OK` \| service web exists \|/m);
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("fails the step on the critical findings that fail-on critical (the action's default) stops", async () => {
    const { step } = demoStep({ command: "verify" }, { variant: "critical-findings" });
    const run = await step;
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(run.outputs["verify-result"]).toBe("failed");
    expect(run.stdout).toMatch(/^\[NG\] {3}scan of app passes 'fail-on' critical: failed: 2 finding/m);
    expect(run.summary).toMatch(/^\| `NG` \| scan of app passes 'fail-on' critical \|/m);
    expect(run.stdout).toMatch(/::error title=Verify failed::verify failed: 1 NG/);
  });
});

describe("dry-run: true", () => {
  it("plans the rollout: result planned, exit 0, the plan in the summary, and no mutating call", async () => {
    const { sim, step } = demoStep({ command: "rollout", "dry-run": "true" });
    const before = sim.world.snapshot();
    const run = await step;
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("planned");
    expect(run.outputs["verify-result"]).toBe("passed");
    expect(run.outputs["canary-task-arn"]).toBe("");
    expect(run.summary).toMatch(/^### Rollout of web was planned \(dry run: nothing was changed\)$/m);
    expect(run.summary).toContain("> [!NOTE]");
    expect(run.summary).toContain("UpdateService would send:");
    expect(run.summary).toContain('"taskDefinition": "web:<next revision>"');
    expect(run.stdout).toContain("RunTask would send:");
    expect(sim.journal.mutations()).toEqual([]);
    expect(sim.world.snapshot()).toEqual(before);
  });

  it("plans the images the 'images' input sets, as the rollout would register them", async () => {
    const { sim, step } = demoStep({
      command: "rollout",
      "dry-run": "true",
      images: "app=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1",
    });
    const run = await step;
    expect(run.outputs.result).toBe("planned");
    expect(run.stdout).toContain("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1");
    expect(run.stdout).not.toContain("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2");
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("fails a dry run when verify finds a problem, still changing nothing", async () => {
    const { sim, step } = demoStep({ command: "rollout", "dry-run": "true" }, { variant: "no-free-ips" });
    const run = await step;
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(run.outputs["verify-result"]).toBe("failed");
    expect(run.summary).toMatch(/^\| `NG` \| subnets have free addresses \|/m);
    expect(sim.journal.mutations()).toEqual([]);
  });
});
