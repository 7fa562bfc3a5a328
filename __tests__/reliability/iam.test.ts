/**
 * iam-policy.json (the README's policy) is sufficient and minimal: every scenario passes with exactly that
 * policy enforced by the simulator, and without any one of its actions at least one scenario fails with an
 * AccessDenied that names the action. That includes iam:PassRole, which the simulator requires (as AWS does) of
 * RegisterTaskDefinition with a task or execution role, and whose iam:PassedToService condition it evaluates.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { IAM_SCENARIOS, type Outcome } from "./iam-scenarios.js";
import { finish, tally } from "./tally.js";

tally.start("IAM policy");

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: unknown;
}
const POLICY = JSON.parse(readFileSync(new URL("../../iam-policy.json", import.meta.url), "utf8")) as {
  Version: string;
  Statement: Statement[];
};
const actions = POLICY.Statement.flatMap((s) => s.Action);
const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

const without = (action: string) => ({
  ...POLICY,
  Statement: POLICY.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== action) })).filter(
    (s) => s.Action.length > 0,
  ),
});

const names = Object.keys(IAM_SCENARIOS);
const needed = new Map<string, string[]>();
const passedElsewhere: string[] = [];

describe("the IAM policy in iam-policy.json", () => {
  afterAll(() => {
    tally.row("actions in the policy", actions.length);
    tally.row("scenarios under the policy", names.join(", "));
    for (const [action, by] of [...needed].sort()) tally.row(`without ${action}`, `${by.join(", ")} fail`);
    if (passedElsewhere.length > 0) {
      tally.row("iam:PassRole with iam:PassedToService ecs.amazonaws.com", `${passedElsewhere.join(", ")} fail`);
    }
    const stale = finish("iam", names.length * 3 + actions.length * names.length);
    if (stale) throw new Error(stale);
  });

  it("names exactly the actions the scenarios call", async () => {
    const called = new Set<string>();
    for (const name of names) {
      const outcome = await (IAM_SCENARIOS[name] as (p: unknown) => Promise<Outcome>)(ALLOW_ALL);
      tally.scenario(0);
      expect(outcome.ok, `${name}: ${outcome.text}`).toBe(true);
      for (const a of outcome.actions) called.add(a);
    }
    expect([...actions].sort()).toEqual([...called].sort());
  });

  it.each(names)("is enough for %s", async (name) => {
    const outcome = await (IAM_SCENARIOS[name] as (p: unknown) => Promise<Outcome>)(POLICY);
    tally.scenario(0);
    expect(outcome.ok, outcome.text).toBe(true);
  });

  it("passes roles to ECS tasks only: with any other iam:PassedToService, a scenario fails on iam:PassRole", async () => {
    const elsewhere = {
      ...POLICY,
      Statement: POLICY.Statement.map((s) =>
        s.Condition ? { ...s, Condition: { StringEquals: { "iam:PassedToService": "ecs.amazonaws.com" } } } : s,
      ),
    };
    expect(POLICY.Statement.filter((s) => s.Condition)).toHaveLength(1);
    for (const name of names) {
      const outcome = await (IAM_SCENARIOS[name] as (p: unknown) => Promise<Outcome>)(elsewhere);
      tally.scenario(0);
      if (!outcome.ok && outcome.text.includes("iam:PassRole")) passedElsewhere.push(name);
    }
    expect(passedElsewhere.length).toBeGreaterThan(0);
  });

  it.each(actions)("without %s, a scenario fails with an AccessDenied naming it", async (action) => {
    const failed: string[] = [];
    for (const name of names) {
      const outcome = await (IAM_SCENARIOS[name] as (p: unknown) => Promise<Outcome>)(without(action));
      tally.scenario(0);
      if (!outcome.ok && outcome.text.includes(action)) failed.push(name);
    }
    needed.set(action, failed);
    expect(failed.length).toBeGreaterThan(0);
  });
});
