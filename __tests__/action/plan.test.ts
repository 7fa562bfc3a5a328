/**
 * The action's `command: plan` on the real engine against the demo world, with its PR comment sent to a loopback
 * GitHub API: one sticky comment with the diff, the checklist and the audit, replaced on each push; fork-safe.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultGitHub } from "../../src/action/github-steps.js";
import { forkEvent, PR_EVENT } from "../fixtures/pull-request.js";
import { demoStep } from "./demo-step.js";
import { FakeGitHub } from "./fake-github.js";

let github: FakeGitHub;
beforeEach(async () => {
  github = await new FakeGitHub().start();
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

function plan(inputs: Record<string, string> = {}, env: Record<string, string> = {}, variant?: string) {
  const { sim, step } = demoStep(
    { command: "plan", ...inputs },
    {
      ...(variant ? { variant } : {}),
      github: defaultGitHub,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: "acme/shop",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: PR_EVENT,
        GITHUB_SHA: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        GITHUB_SERVER_URL: "https://github.com",
        ...env,
      },
    },
  );
  return step.then((run) => ({ run, sim }));
}

const comments = () => github.comments.get(42) ?? [];
/** The comment without its fenced blocks: what GitHub renders as markdown and HTML. */
const outsideFences = (body: string) => body.replace(/^(`{3,})diff\n[\s\S]*?\n\1$/gm, "");

describe("command: plan", () => {
  it("comments the diff, the verify checklist and the audit once, and the summary shows the same", async () => {
    const { run, sim } = await plan({}, {}, "critical-findings");
    expect(comments()).toHaveLength(1);
    const body = comments()[0]?.body ?? "";
    expect(body).toMatch(/^## Deploy plan for production\/web$/m);
    expect(body).toContain("<details open>\n<summary>task definition: 4 changed lines (live web:1 → ");
    expect(body).toContain("```diff\n--- live web:1 (task definition)\n");
    expect(body).toContain('+containerDefinitions[app].image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2"');
    expect(body).toMatch(/^### Verify failed$/m);
    expect(body).toMatch(/^\| `OK` \| cluster production is ACTIVE \|/m);
    expect(body).toMatch(/^\| `NG` \| scan of app passes 'fail-on' critical \|/m);
    expect(body).toMatch(/^### Audit of the images this pull request would deploy$/m);
    expect(body).toContain("<summary>CRITICAL (2)</summary>");
    expect(body).toMatch(/<!-- cage-action:plan region=us-east-1;cluster=production;service=web -->$/);
    expect(run.summary).toContain(body.slice(0, body.lastIndexOf("<!--")).trimEnd());
    expect(run.stdout).toContain("PR comment: created");
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(run.outputs["verify-result"]).toBe("failed");
    expect(run.outputs["has-changes"]).toBe("true");
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("updates the same comment on the next push instead of adding one", async () => {
    const first = await plan();
    expect(first.run.exitCode).toBe(0);
    expect(comments()).toHaveLength(1);
    const id = comments()[0]?.id;
    expect(comments()[0]?.body).toContain("a rollout would change the service");
    const second = await plan({}, { IMAGE_TAG: "v1" });
    expect(second.run.stdout).toContain("PR comment: updated");
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.id).toBe(id);
    expect(comments()[0]?.body).toContain("No changes: the deploy context matches the live service.");
    expect(comments()[0]?.body).not.toContain("```diff");
    const third = await plan({}, { IMAGE_TAG: "v1" });
    expect(third.run.stdout).toContain("PR comment: unchanged");
    expect(github.requests.filter((r) => r.startsWith("POST"))).toHaveLength(1);
  });

  it("keeps the plan in the summary with a notice on a fork's pull request, without failing the step", async () => {
    const { run } = await plan({}, { GITHUB_EVENT_PATH: forkEvent() });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.stdout).toContain("::notice title=PR comment skipped::The plan is in the job summary only");
    expect(github.comments.size).toBe(0);
    expect(run.summary).toMatch(/^## Deploy plan for production\/web$/m);
  });

  it("does not fail the step when the token may not write, and names the permission", async () => {
    github.readOnly = true;
    const { run } = await plan();
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Give the job 'permissions: pull-requests: write'.");
    expect(github.comments.size).toBe(0);
  });

  it("writes no comment with pr-comment: never, and none outside a pull request", async () => {
    await plan({ "pr-comment": "never" });
    await plan({}, { GITHUB_EVENT_NAME: "push" });
    expect(github.requests).toEqual([]);
  });

  it("collapses a diff of more than 20 changed lines in <details>", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-plan-"));
    cpSync("deploy-example", dir, { recursive: true });
    const file = join(dir, "task-definition.json");
    const td = JSON.parse(readFileSync(file, "utf8"));
    for (let i = 0; i < 30; i++) td.containerDefinitions[0].environment.push({ name: `FLAG_${i}`, value: "on" });
    writeFileSync(file, JSON.stringify(td, null, 2));
    await plan({ "deploy-context": dir });
    const body = comments()[0]?.body ?? "";
    expect(body).toMatch(/<details>\n<summary>task definition: 34 changed lines/);
    expect(body).not.toContain("<details open>");
  });

  it("prints hostile text from task-definition.json inert in the comment, the summary and the log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-plan-"));
    cpSync("deploy-example", dir, { recursive: true });
    const file = join(dir, "task-definition.json");
    const td = JSON.parse(readFileSync(file, "utf8"));
    const hostile =
      "x\n```\n</details><img src=x onerror=alert(1)> @octocat [go](https://evil.example)\n::error::pwned";
    td.containerDefinitions[0].environment.push({ name: "NOTE", value: hostile });
    td.containerDefinitions[1].image = "evil.example/<img src=x>@octocat:[go](https://evil.example)";
    writeFileSync(file, JSON.stringify(td, null, 2));
    const { run } = await plan({ "deploy-context": dir });
    const body = comments()[0]?.body ?? "";
    expect(body).toContain("NOTE].value:");
    expect(body).toContain("evil.example");
    for (const text of [outsideFences(body), outsideFences(run.summary)]) {
      expect(text).not.toMatch(/<img|<\/details><img/);
      expect(text).not.toContain("@octocat");
      expect(text).not.toContain("](https://evil.example");
    }
    expect(run.stdout).not.toMatch(/^\s*::error::pwned/m);
  });
});
