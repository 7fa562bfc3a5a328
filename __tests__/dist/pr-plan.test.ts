/**
 * The pull request's deploy plan as GitHub runs deploy-example/workflows/pr-plan.yml: `node dist/index.js` with
 * `command: plan` on a real pull_request payload, against `cage sim serve` for AWS and a loopback stand-in for the
 * GitHub REST API that checks every request against GitHub's OpenAPI description.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../action/fake-github.js";
import { exampleStep, runScript, runtimes, type SimServer, startSimServer } from "./harness.js";

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
    {
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: join(process.cwd(), "__tests__/fixtures/pull_request.json"),
      GITHUB_SHA: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "7",
      ...env,
    },
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
