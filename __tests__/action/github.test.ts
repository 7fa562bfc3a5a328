import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditOutcome, Engine } from "../../src/action/engine.js";
import { runAction } from "../../src/action/main.js";
import type { AuditReport, Finding } from "../../src/audit/index.js";
import { forkEvent, PR_EVENT } from "../fixtures/pull-request.js";
import { auditReport, container, finding, service } from "../report/audit-fixtures.js";
import { succeeded, successfulRollout } from "../report/fixtures.js";
import { recordingAws, replayEngine } from "./fake-engine.js";
import { FakeGitHub } from "./fake-github.js";
import { runStep } from "./harness.js";

const report = (findings: Finding[]): AuditReport => auditReport([service("web", [container("app", findings)])]);
const scanFailed = auditReport([
  service("web", [container("app", [], { status: "FAILED", reason: "ECR reports the scan as FAILED" })]),
]);

function auditing(report: AuditReport): Engine {
  const outcome: AuditOutcome = { report, gate: { failed: false, reason: "passed: below fail-on" }, json: "{}" };
  return { ...replayEngine({ events: [] }), audit: async () => outcome };
}

let github: FakeGitHub;
beforeEach(async () => {
  github = await new FakeGitHub().start();
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

function step(engine: Engine, inputs: Record<string, string>, event = PR_EVENT, eventName = "pull_request") {
  return runStep(
    () => runAction({ engine, aws: () => recordingAws([]) }),
    { "deploy-context": "deploy", ...inputs },
    {
      env: {
        AWS_REGION: "us-west-2",
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: "acme/shop",
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_RUN_ID: "7",
      },
    },
  );
}

describe("PR audit comment", () => {
  it("keeps one sticky comment: created, updated in place, then marked resolved", async () => {
    await step(auditing(report([finding("CVE-2026-0001")])), { command: "audit" });
    expect(github.comments.get(42)).toHaveLength(1);
    expect(github.comments.get(42)?.[0]?.body).toContain("CVE-2026-0001");

    await step(auditing(report([finding("CVE-2026-0002")])), { command: "audit" });
    const comments = github.comments.get(42) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("CVE-2026-0002");
    expect(comments[0]?.body).not.toContain("CVE-2026-0001");

    const resolved = await step(auditing(report([])), { command: "audit" });
    expect(github.comments.get(42)).toHaveLength(1);
    expect(github.comments.get(42)?.[0]?.body).toContain("Resolved: no findings any more in web.");
    expect(resolved.stdout).toContain("PR comment: resolved");
  });

  it("comments in auto mode when an image's scan FAILED: nothing read is not clean", async () => {
    await step(auditing(scanFailed), { command: "audit" });
    expect(github.comments.get(42)?.[0]?.body).toContain(
      "| prod/web · app | <code>app:v43</code> | scan failed <sup>1</sup> | – |",
    );
  });

  it("writes nothing on a clean first run in auto mode", async () => {
    await step(auditing(report([])), { command: "audit" });
    expect(github.comments.get(42)).toBeUndefined();
  });

  it("leaves a person's comment that quotes the marker alone", async () => {
    await step(auditing(report([finding("CVE-2026-0001")])), { command: "audit" });
    const ours = github.comments.get(42)?.[0];
    github.comments.set(42, [{ id: 1, body: ours?.body ?? "", user: { login: "mallory", type: "User" } }]);
    await step(auditing(report([finding("CVE-2026-0003")])), { command: "audit" });
    const comments = github.comments.get(42) ?? [];
    expect(comments).toHaveLength(2);
    expect(comments[0]?.body).toContain("CVE-2026-0001");
  });

  it("degrades to the summary with a notice on a fork's pull request", async () => {
    const run = await step(auditing(report([finding("CVE-2026-0001")])), { command: "audit" }, forkEvent());
    expect(github.requests).toEqual([]);
    expect(run.stdout).toContain("::notice title=PR comment skipped::The audit is in the job summary only");
    expect(run.exitCode).toBe(0);
  });

  it("still comments on pull_request_target, whose token can write for a fork", async () => {
    await step(auditing(report([finding("CVE-2026-0001")])), { command: "audit" }, forkEvent(), "pull_request_target");
    expect(github.comments.get(42)).toHaveLength(1);
  });

  it("turns a read-only token into a notice, not a failure", async () => {
    github.readOnly = true;
    const run = await step(auditing(report([finding("CVE-2026-0001")])), { command: "audit" });
    expect(run.stdout).toContain("permissions: pull-requests: write");
    expect(run.exitCode).toBe(0);
  });
});

describe("audit-issue", () => {
  it("creates one issue per service, updates it, keeps it open while the scan FAILED, and closes it when clean", async () => {
    await step(
      auditing(report([finding("CVE-2026-0001")])),
      { command: "audit", "audit-issue": "true" },
      PR_EVENT,
      "schedule",
    );
    expect(github.issues).toMatchObject([
      { number: 1, title: "cage audit: prod/web (us-west-2)", labels: ["cage-audit"], state: "open" },
    ]);

    await step(
      auditing(report([finding("CVE-2026-0002")])),
      { command: "audit", "audit-issue": "true" },
      PR_EVENT,
      "schedule",
    );
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]?.body).toContain("CVE-2026-0002");

    await step(auditing(scanFailed), { command: "audit", "audit-issue": "true" }, PR_EVENT, "schedule");
    expect(github.issues[0]).toMatchObject({ state: "open" });
    expect(github.issues[0]?.body).toContain("FAILED: ECR reports the scan as FAILED");

    await step(auditing(report([])), { command: "audit", "audit-issue": "true" }, PR_EVENT, "schedule");
    expect(github.issues[0]).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(github.comments.size).toBe(0);
  });
});

describe("create-deployment", () => {
  it("records a GitHub Deployment in progress, then its success", async () => {
    await step(
      replayEngine({ events: successfulRollout(), result: succeeded }),
      { "create-deployment": "true", environment: "production" },
      PR_EVENT,
      "push",
    );
    expect(github.deployments).toMatchObject([
      { ref: "6dcb09b5b57875f334f61aebed695e2e4193db5e", environment: "production" },
    ]);
    expect(github.statuses.map((s) => s.state)).toEqual(["in_progress", "success"]);
    expect(github.statuses[1]?.log_url).toBe("https://github.com/acme/shop/actions/runs/7");
  });

  it("records a failure when the rollout fails", async () => {
    const failed = { result: "failed" as const, message: "canary unhealthy", serviceChanged: false };
    const run = await step(
      replayEngine({ events: [], result: failed }),
      { "create-deployment": "true" },
      PR_EVENT,
      "push",
    );
    expect(github.deployments[0]?.environment).toBe("web");
    expect(github.statuses.map((s) => [s.state, s.description])).toEqual([
      ["in_progress", "Canary rollout in progress"],
      ["failure", "canary unhealthy"],
    ]);
    expect(run.exitCode).toBe(1);
  });
});
