/** The action's `command: diff` on the real engine against the demo world: log, summary, outputs and exit. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoStep } from "./demo-step.js";

function exampleCopy(change: (td: { containerDefinitions: { environment: object[] }[] }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "cage-diff-action-"));
  cpSync("deploy-example", dir, { recursive: true });
  const file = join(dir, "task-definition.json");
  const td = JSON.parse(readFileSync(file, "utf8"));
  change(td);
  writeFileSync(file, JSON.stringify(td, null, 2));
  return dir;
}

describe("command: diff", () => {
  it("says there are no changes when deploy-example is at the live image, and changes nothing", async () => {
    const { sim, step } = demoStep({ command: "diff", "fail-on-changes": "true" }, { env: { IMAGE_TAG: "v1" } });
    const run = await step;
    expect(run.exitCode).toBe(0);
    expect(run.outputs["has-changes"]).toBe("false");
    expect(run.outputs.diff).toBe("");
    expect(run.summary).toContain("No changes: the deploy context matches the live service.");
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("puts the diff in the log, in a collapsed block of the summary and in the outputs", async () => {
    const { sim, step } = demoStep({ command: "diff" });
    const run = await step;
    expect(run.exitCode).toBe(0);
    expect(run.outputs["has-changes"]).toBe("true");
    const changed = '+containerDefinitions[app].image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2"';
    expect(String(run.outputs.diff).split("\n")).toContain(changed);
    expect(run.stdout.split("\n")).toContain(changed);
    expect(run.summary).toMatch(/<details>\n<summary>task definition: 4 changed lines \(live web:1 → /);
    expect(run.summary).toContain(`\`\`\`diff\n--- live web:1 (task definition)\n`);
    expect(run.summary).toContain(`${changed}\n`);
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("fails the step with fail-on-changes when there are changes", async () => {
    const run = await demoStep({ command: "diff", "fail-on-changes": "true" }).step;
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(run.outputs["has-changes"]).toBe("true");
  });

  it("sets images from the images input, and refuses a container the file does not have", async () => {
    const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v9";
    const run = await demoStep({ command: "diff", images: `app=${image}` }).step;
    expect(String(run.outputs.diff).split("\n")).toContain(`+containerDefinitions[app].image: "${image}"`);
    const { sim, step } = demoStep({ command: "diff", images: "app=x:1\nweb=y:2" });
    const refused = await step;
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(
      /'images': container 'web' is not in .*task-definition\.json; its containers are: app, log-router/,
    );
    expect(sim.journal.calls()).toEqual([]);
  });

  it("keeps what a file says inert in the log and the summary", async () => {
    const hostile = "x\n```\n<img src=x onerror=alert(1)>\n::error::pwned ##[warning]y";
    const dir = exampleCopy((td) => {
      td.containerDefinitions[0]?.environment.push({ name: "EVIL", value: hostile });
    });
    const run = await demoStep({ command: "diff", "deploy-context": dir }).step;
    expect(run.outputs["has-changes"]).toBe("true");
    expect(run.stdout).not.toMatch(/^\s*::error::pwned/m);
    expect(run.stdout).not.toContain("##[warning]");
    expect(run.stdout).toContain("::error::pwned ##\\u005bwarning]y");
    // The block's fence is longer than any run of backticks inside it: nothing inside can close it.
    const block = /\n(`{4,})diff\n([\s\S]*?)\n\1\n/.exec(run.summary);
    expect(block?.[2]).toContain("<img src=x onerror=alert(1)>");
    expect(run.summary.replace(block?.[0] ?? "", "")).not.toContain("<img");
  });
});
