import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/index";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { actionYml } from "../action/harness.js";

const root = join(import.meta.dirname, "../..");
const dir = join(root, "deploy-example/workflows");
const workflows = readdirSync(dir).filter((f) => f.endsWith(".yml"));
const trace = new NoOperationTraceWriter();

function actionErrors(content: string): string[] {
  return parseAction({ name: "action.yml", content }, trace)
    .context.errors.getErrors()
    .map((e) => e.message);
}

describe("action.yml", () => {
  it("is valid for GitHub's own workflow parser", () => {
    expect(actionErrors(readFileSync(join(root, "action.yml"), "utf8"))).toEqual([]);
  });

  it("is checked for real: a misspelled key is an error", () => {
    const broken = readFileSync(join(root, "action.yml"), "utf8").replace("post-if:", "post-iff:");
    expect(actionErrors(broken).join("\n")).toContain("post-iff");
  });
});

it("the workflow check is real: an unknown key is an error", () => {
  const parsed = parseWorkflow(
    { name: "x.yml", content: "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n" },
    trace,
  );
  expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
});

describe.each(workflows)("deploy-example/workflows/%s", (file) => {
  const content = readFileSync(join(dir, file), "utf8");

  it("parses and converts with GitHub's workflow parser without errors", async () => {
    const parsed = parseWorkflow({ name: file, content }, trace);
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
  });

  it("passes only inputs that action.yml declares", () => {
    const workflow = parse(content) as {
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((job) =>
      job.steps.filter((s) => s.uses?.startsWith("org/cage-action@")),
    );
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(actionYml.inputs)).toContain(name);
    }
  });
});
