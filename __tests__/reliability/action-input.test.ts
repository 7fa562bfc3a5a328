/**
 * Bad action inputs, through the action's main step as the runner runs it, against the simulator: each fails the
 * step with a message naming the input, and no AWS call changes anything.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoStep } from "../action/demo-step.js";
import { actingParts, STEP_COMMANDS } from "../action/runner-log.js";
import { finish, tally } from "./tally.js";

tally.start("Bad action inputs");

const WORKSPACE = resolve(".");
const outside = mkdtempSync(join(tmpdir(), "cage-outside-"));

const CASES: [string, Record<string, string>, RegExp][] = [
  ["a duration that is not one", { "canary-task-idle-duration": "soon" }, /'canary-task-idle-duration'/],
  ["a negative timeout", { timeout: "-5m" }, /'timeout'/],
  ["a boolean that is not one", { "wait-if-busy": "maybe" }, /'wait-if-busy'/],
  ["a boolean spelled yes", { "update-service": "yes" }, /'update-service'/],
  ["an unknown command", { command: "deploy" }, /'command'/],
  ["a region that is not one", { region: "mars-1" }, /'region'/],
  [
    "a task definition ARN from another region",
    { "task-definition-arn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3" },
    /'task-definition-arn'.*eu-west-1/,
  ],
  [
    "an ARN of another service as the task definition",
    { "task-definition-arn": "arn:aws:iam::123456789012:role/web-task" },
    /'task-definition-arn'/,
  ],
  [
    "a container instance ARN from another region",
    {
      "canary-instance-arn":
        "arn:aws:ecs:eu-west-1:123456789012:container-instance/production/0123456789abcdef0123456789abcdef",
    },
    /'canary-instance-arn'/,
  ],
  ["a deploy context outside the workspace", { "deploy-context": outside }, /'deploy-context'.*outside the workspace/],
  ["a deploy context that climbs out", { "deploy-context": "../../etc" }, /'deploy-context'.*outside the workspace/],
  [
    "an ignore file outside the workspace",
    { command: "audit", "ignore-file": "/etc/passwd" },
    /'ignore-file'.*outside the workspace/,
  ],
];

afterAll(() => {
  const stale = finish("action-input", CASES.length);
  if (stale) throw new Error(stale);
});

describe("a bad action input", () => {
  it.each(CASES)("%s: the step fails naming the input, nothing changed", async (_, inputs, names) => {
    const { sim, step } = demoStep({ command: "rollout", ...inputs }, { env: { GITHUB_WORKSPACE: WORKSPACE } });
    const run = await step;
    tally.scenario(0);
    const printed = actingParts(run.stdout, STEP_COMMANDS);
    tally.invariants(2, (sim.journal.mutations().length > 0 ? 1 : 0) + printed.length);
    expect(printed).toEqual([]);
    expect(run.exitCode).toBe(1);
    const error = run.stdout.split("\n").find((l) => l.startsWith("::error::")) ?? "";
    expect(error).toMatch(names);
    expect(run.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(sim.journal.mutations()).toEqual([]);
  });
});
