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

function audit(node: string, inputs: Record<string, string>) {
  const step = exampleStep(
    sim.url,
    {
      command: "audit",
      "audit-source": "deploy-context",
      "github-token": "ghs_test0123456789",
      "pr-comment": "auto",
      ...inputs,
    },
    pullRequestEnv(github.url),
  );
  return runScript(node, "dist/index.js", step);
}

describe.each(runtimes)("dist/index.js on a pull_request, on %s", (_name, node) => {
  it("audits what the PR would deploy, keeps one sticky comment and gates on fail-on", async () => {
    const passing = await audit(node, { "fail-on": "critical" });
    expect(passing.code).toBe(0);
    expect(passing.outputs).toMatch(/^low-count<<.*\n1\n/m);
    const comments = [...github.comments.values()].flat();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("CVE-2024-2511");

    const failing = await audit(node, { "fail-on": "low" });
    expect(failing.code).not.toBe(0);
    expect(failing.log).toMatch(/::error.*LOW/);
    expect([...github.comments.values()].flat()).toHaveLength(1);
    // The runner hides a masked value everywhere; the only place it may appear is the mask command itself.
    expect(failing.log.replace("::add-mask::ghs_test0123456789", "")).not.toContain("ghs_test0123456789");
    expect(github.violations).toEqual([]);
  }, 120_000);
});
