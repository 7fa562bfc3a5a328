import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../action/fake-github.js";
import { exampleStep, pullRequestEnv, runScript, runtimes, type SimServer, startSimServer } from "./harness.js";

let sim: SimServer;
const github = new FakeGitHub();

beforeAll(async () => {
  await github.start();
  sim = await startSimServer();
});

afterAll(async () => {
  sim?.stop();
  await github.stop();
});

function plan(node: string, env: Record<string, string> = {}) {
  const step = exampleStep(
    sim.url,
    { command: "plan", "github-token": "ghs_test0123456789", "fail-on": "high", "fail-on-fixable-only": "true" },
    { ...pullRequestEnv(github.url), ...env },
  );
  return runScript(node, "dist/index.js", step);
}

describe.each(runtimes)("dist/index.js command: plan on a pull_request, on %s", (_name, node) => {
  it("keeps one plan comment with the diff, the checklist and the audit, replaced on the next push", async () => {
    const first = await plan(node);
    expect(first.code).toBe(0);
    expect(first.outputs).toMatch(/^verify-result<<.*\npassed\n/m);
    expect(first.outputs).toMatch(/^has-changes<<.*\ntrue\n/m);
    const comments = () => [...github.comments.values()].flat().filter((c) => c.body.includes("cage-action:plan"));
    expect(comments()).toHaveLength(1);
    const body = comments()[0]?.body ?? "";
    expect(body).toContain('+containerDefinitions[app].image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2"');
    expect(body).toMatch(/^### Verify passed$/m);
    expect(body).toContain("CVE-2024-2511");
    expect(first.summary).toContain("## Deploy plan for production/web");

    const second = await plan(node, { IMAGE_TAG: "v1" });
    expect(second.code).toBe(0);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toContain("No changes: the deploy context matches the live service.");
    expect(second.log.replace("::add-mask::ghs_test0123456789", "")).not.toContain("ghs_test0123456789");
    expect(github.violations).toEqual([]);
  }, 120_000);
});
