import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/index";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { actionYml } from "../action/harness.js";

const root = join(import.meta.dirname, "../..");
const dir = join(root, "deploy-example/workflows");
const trace = new NoOperationTraceWriter();

/** Every workflow a user may copy: the examples, and each workflow snippet of the README. */
const readme = readFileSync(join(root, "README.md"), "utf8");
const workflows: [string, string][] = [
  ...readdirSync(dir)
    .filter((f) => f.endsWith(".yml"))
    .map((f): [string, string] => [`deploy-example/workflows/${f}`, readFileSync(join(dir, f), "utf8")]),
  ...[...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .filter((text) => /^jobs:/m.test(text))
    .map((text, i): [string, string] => [`README.md workflow ${i + 1}`, text]),
];

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { workflow_dispatch?: { inputs?: Record<string, { options?: string[] }> } } | string;
  jobs: Record<string, { steps: Step[]; if?: string }>;
}

const isCage = (step: Step) => step.uses?.startsWith("org/cage-action@") === true;

/** Every `${{ }}` expression in a value, and `if:` conditions, which are expressions without the braces. */
function expressionsIn(value: unknown, key = ""): string[] {
  if (typeof value === "string") {
    const braced = [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => (m[1] as string).trim());
    return key === "if" && braced.length === 0 ? [value] : braced;
  }
  if (Array.isArray(value)) return value.flatMap((v) => expressionsIn(v));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => expressionsIn(v, k));
  return [];
}

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

it("finds the README's workflow and every example", () => {
  expect(workflows.filter(([name]) => name.startsWith("README")).length).toBeGreaterThan(0);
  expect(workflows.length).toBeGreaterThan(5);
});

it("names one version of each action everywhere: the README, the examples and this repository's CI", () => {
  const ci = readdirSync(join(root, ".github/workflows")).map((f) =>
    readFileSync(join(root, ".github/workflows", f), "utf8"),
  );
  const versions = new Map<string, Set<string>>();
  for (const text of [...workflows.map(([, t]) => t), ...ci]) {
    for (const [, action, ref] of text.matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@(\S+)/g)) {
      versions.set(action as string, (versions.get(action as string) ?? new Set()).add(ref as string));
    }
  }
  expect(versions.get("actions/checkout")).toBeDefined();
  expect(versions.get("aws-actions/configure-aws-credentials")).toBeDefined();
  for (const [action, refs] of versions) expect([...refs], action).toHaveLength(1);
});

describe.each(workflows)("%s", (name, content) => {
  const workflow = parse(content) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const cageSteps = steps.filter(isCage);

  it("parses and converts with GitHub's workflow parser without errors", async () => {
    const parsed = parseWorkflow({ name, content }, trace);
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
  });

  it("passes only inputs that action.yml declares", () => {
    expect(cageSteps.length).toBeGreaterThan(0);
    for (const step of cageSteps) {
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(actionYml.inputs)).toContain(input);
    }
  });

  it("reads only outputs its steps have and inputs its trigger declares", () => {
    const dispatchInputs = typeof workflow.on === "object" ? (workflow.on.workflow_dispatch?.inputs ?? {}) : {};
    for (const job of Object.values(workflow.jobs)) {
      const byId = new Map(job.steps.filter((s) => s.id).map((s) => [s.id as string, s]));
      for (const expression of expressionsIn(job)) {
        for (const [, id, output] of expression.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const step = byId.get(id as string);
          expect(step, `${expression}: no step has id '${id}'`).toBeDefined();
          if (step && isCage(step)) expect(Object.keys(actionYml.outputs)).toContain(output);
        }
      }
    }
    for (const expression of expressionsIn(workflow)) {
      for (const [, input] of expression.matchAll(/\binputs\.([\w-]+)/g)) {
        expect(Object.keys(dispatchInputs), expression).toContain(input);
      }
    }
  });

  it("hands every workflow_dispatch input to cage: as an input, or a variable its deploy context uses", () => {
    const dispatchInputs = typeof workflow.on === "object" ? (workflow.on.workflow_dispatch?.inputs ?? {}) : {};
    for (const input of Object.keys(dispatchInputs)) {
      const uses = (value: unknown) => expressionsIn(value).some((e) => new RegExp(`\\binputs\\.${input}\\b`).test(e));
      const reaches = cageSteps.some((step) => {
        if (uses(step.with)) return true;
        const context = String(step.with?.["deploy-context"] ?? "");
        const files = ["service.json", "task-definition.json"].map((f) => readFileSync(join(root, context, f), "utf8"));
        return Object.entries(step.env ?? {}).some(
          ([variable, value]) => uses(value) && files.some((text) => text.includes(`\${${variable}}`)),
        );
      });
      expect(reaches, `input '${input}' changes nothing the cage step does`).toBe(true);
    }
  });

  it("configures AWS in the region of the deploy context it deploys", () => {
    for (const step of cageSteps) {
      const context = String(step.with?.["deploy-context"] ?? "");
      if (!context.startsWith("deploy-example")) continue;
      const service = readFileSync(join(root, context, "service.json"), "utf8");
      const region = /arn:aws:[\w-]+:([a-z0-9-]+):/.exec(service)?.[1];
      const credentials = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(region).toBeDefined();
      expect(credentials?.with?.["aws-region"]).toBe(region);
    }
  });
});
