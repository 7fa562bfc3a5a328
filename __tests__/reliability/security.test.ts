/**
 * Untrusted text (finding descriptions, package names, stop reasons, service events, image names) reaches the job
 * summary, the PR comment, the CLI's log and the action's log inert; the GitHub token and AWS credentials appear in no log, summary, output or
 * saved state; a bad action input is refused before any AWS call.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GroupedLog } from "../../src/action/log.js";
import { commentBody, markerOf } from "../../src/action/pr-comment.js";
import { announce } from "../../src/action/publish.js";
import type { AuditReport } from "../../src/audit/index.js";
import { renderDetail, renderTable } from "../../src/audit/render-text.js";
import { lineWriter } from "../../src/cli/io.js";
import { logLine } from "../../src/cli/log.js";
import type { CageEvent } from "../../src/engine/events.js";
import { SUMMARY_LIMIT_BYTES } from "../../src/report/fit.js";
import { renderSummary } from "../../src/report/summary.js";
import { demoStep } from "../action/demo-step.js";
import { actingParts, PAYLOAD, PAYLOAD_WORDS } from "../action/runner-log.js";
import { actionLog } from "./invariants.js";
import { finish, tally } from "./tally.js";

tally.start("Security");

const HOSTILE = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "[click here](https://evil.example/phish)",
  "![pixel](https://evil.example/p.png)",
  "ping @octocat and @github/security",
  "fixes #123 and GH-45",
  "see https://evil.example/bare",
  "```\n# Heading\n- item\n```",
  "| a | b |\n| --- | --- |",
  "<!-- cage-action:audit x --> </details><details open><summary>owned</summary>",
  "\u202eevil\u202c",
  `${"A".repeat(100_000)}<script>late()</script>`,
  PAYLOAD,
  "\r::error::after a carriage return",
  "\u2028::warning::after a line separator \u009b31m",
  "x\u200b##[add-mask]y ##\u200b[stop-commands]z",
];

/** Problems that would make the text live in GitHub markdown. */
function liveParts(md: string, allowedComments = 0): string[] {
  const found: string[] = [];
  const checks: [string, RegExp][] = [
    ["an HTML tag from the input", /<\s*(script|img|iframe|a|details open|summary>owned)/i],
    ["a markdown link to the input's URL", /\]\(\s*(https?:\/\/evil|javascript:)/i],
    ["a bare URL GitHub would link", /https?:\/\/evil/i],
    ["a live @mention", /@(octocat|github\/security)/],
    ["a live #reference", /#123|GH-45/],
    ["a heading from the input", /^#+ Heading/m],
    ["a bidi override", /[\u202a-\u202e]/],
  ];
  for (const [what, pattern] of checks) if (pattern.test(md)) found.push(what);
  const comments = md.match(/<!--/g)?.length ?? 0;
  if (comments > allowedComments) found.push(`${comments - allowedComments} HTML comment(s) from the input`);
  return found;
}

function hostileEvents(text: string): CageEvent[] {
  const task = "arn:aws:ecs:us-east-1:123456789012:task/production/0123456789abcdef0123456789abcdef";
  const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
  const t = Date.UTC(2026, 10, 25, 10);
  return [
    { at: t, type: "phase-started", phase: "canary-start", detail: text },
    {
      at: t + 1000,
      type: "task-status",
      taskArn: task,
      lastStatus: "STOPPED",
      stoppedReason: text,
      containers: [{ name: text, reason: text, exitCode: 1 }],
    },
    {
      at: t + 2000,
      type: "target-health",
      targetGroupArn: tg,
      targetId: "10.0.1.5",
      port: 8080,
      state: "unhealthy",
      reason: text,
      description: text,
    },
    {
      at: t + 3000,
      type: "deployment",
      deploymentId: "ecs-svc/1",
      rolloutState: "FAILED",
      runningCount: 0,
      desiredCount: 2,
      reason: text,
    },
    { at: t + 4000, type: "notice", level: "warning", message: text },
    { at: t + 5000, type: "phase-finished", phase: "canary-start", outcome: "failed", detail: text },
    { at: t + 6000, type: "verdict", result: "failed", message: text, serviceChanged: false },
  ];
}

function hostileAudit(text: string): AuditReport {
  const finding = (id: string) => ({
    id,
    severity: "CRITICAL" as const,
    description: text,
    uri: "javascript:alert(1)",
    packages: [{ name: text, version: text, fixedIn: text }],
    fixable: true,
  });
  return {
    scannedAt: Date.UTC(2026, 10, 25),
    source: "running",
    expiredIgnores: [{ entry: { id: text, reason: text, line: 1 }, message: text }],
    services: [
      {
        region: "us-east-1",
        cluster: "production",
        service: "web",
        source: "running",
        sourceNote: text,
        containers: [
          {
            name: "app",
            image: text,
            architecture: "amd64",
            status: "COMPLETE",
            findings: [finding("CVE-2026-0001"), finding(text.slice(0, 80))],
            ignored: [],
          },
          {
            name: text,
            image: "web:v1",
            architecture: "amd64",
            status: "NOT_SCANNABLE",
            reason: text,
            findings: [],
            ignored: [],
          },
        ],
      },
    ],
  };
}

afterAll(() => {
  tally.row("hostile strings", HOSTILE.length);
  tally.row("rendered through", "rollout summary, audit summary, PR comment, CLI log, action log");
  const stale = finish("security", HOSTILE.length * 4 + 5);
  if (stale) throw new Error(stale);
});

describe("hostile text in reports", () => {
  it.each(HOSTILE.map((h) => [h.length > 200 ? `${h.slice(0, 20)}… (${h.length} chars)` : h, h]))(
    "%j is inert in the rollout summary",
    (_, text) => {
      const md = renderSummary({
        command: "rollout",
        target: { region: "us-east-1", cluster: "production", service: "web" },
        events: hostileEvents(text),
        result: { result: "failed", message: text, serviceChanged: false, evidence: [text, text] },
        deployed: { containers: [{ name: text, image: text, imageDigest: text }] },
      });
      tally.scenario(0);
      tally.invariants(1, liveParts(md).length);
      expect(liveParts(md)).toEqual([]);
      expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    },
  );

  it.each(HOSTILE.map((h) => [h.length > 200 ? `${h.slice(0, 20)}… (${h.length} chars)` : h, h]))(
    "%j is inert in the audit summary",
    (_, text) => {
      const md = renderSummary(
        {
          command: "audit",
          target: { region: "us-east-1", cluster: "production", service: "web" },
          events: [],
          result: { result: "failed", message: text },
          audit: hostileAudit(text),
        },
        { detail: true },
      );
      tally.scenario(0);
      tally.invariants(1, liveParts(md).length);
      expect(liveParts(md)).toEqual([]);
    },
  );

  it.each(HOSTILE.map((h) => [h.length > 200 ? `${h.slice(0, 20)}… (${h.length} chars)` : h, h]))(
    "%j is inert in the PR comment, which keeps only its own marker",
    (_, text) => {
      const marker = markerOf("audit", "region=us-east-1;cluster=production;service=web");
      const body = commentBody(hostileAudit(text), marker, "https://github.com/o/r/actions/runs/1");
      tally.scenario(0);
      tally.invariants(1, liveParts(body, 1).length);
      expect(liveParts(body, 1)).toEqual([]);
      expect(body.endsWith(marker)).toBe(true);
      expect(marker).toMatch(/^<!-- cage-action:audit [^>]* -->$/);
      expect(body.length).toBeLessThanOrEqual(65_536);
    },
  );

  it.each(HOSTILE.map((h) => [h.length > 200 ? `${h.slice(0, 20)}… (${h.length} chars)` : h, h]))(
    "%j is inert in the CLI's log and audit text, and in the action's log and annotation",
    (_, text) => {
      const events = hostileEvents(text);
      let cli = "";
      const print = lineWriter({ write: (chunk: string) => (cli += chunk) });
      for (const event of events) print(logLine(event, events[0]?.at ?? 0));
      // The summary's looser report type: the same fields the audit fills.
      const audit = hostileAudit(text) as Parameters<typeof renderTable>[0];
      print(renderTable(audit));
      print(renderDetail(audit));
      const action = actionLog(() => {
        const log = new GroupedLog();
        for (const event of events) log.write(event);
        log.close();
        announce("failed", text, text);
      });
      const problems = [...actingParts(cli), ...actingParts(action, { group: 1, endgroup: 1, warning: 1, error: 1 })];
      tally.scenario(0);
      tally.invariants(1, problems.length);
      expect(problems).toEqual([]);
      if (text === PAYLOAD) for (const word of PAYLOAD_WORDS) expect(cli + action).toContain(word);
    },
  );
});

const TOKEN = "ghs_SECRETtoken0123456789abcdefABCDEF";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const AWS_SESSION = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

/** The step with a token and AWS credentials in its environment, as a workflow gives them. */
function actionRun(inputs: Record<string, string>, variant?: string) {
  return demoStep(
    { "github-token": TOKEN, ...inputs },
    {
      variant,
      env: {
        AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
        AWS_SESSION_TOKEN: AWS_SESSION,
      },
    },
  );
}

describe("secrets", () => {
  it("the token is masked before any input is checked, so an error quoting it is masked too", async () => {
    const { sim, step } = actionRun({ command: "rollout", "canary-task-idle-duration": TOKEN });
    const run = await step;
    tally.scenario(0);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`::add-mask::${TOKEN}`);
    expect(lines.findIndex((l) => l.includes(TOKEN) && !l.startsWith("::add-mask::"))).toBeGreaterThan(0);
    expect(sim.journal.mutations()).toEqual([]);
  });

  it.each([
    ["a rollout that succeeds", { command: "rollout" }, undefined],
    ["a rollout whose canary crashes", { command: "rollout" }, "crash"],
    ["a bad input", { command: "rollout", "canary-task-idle-duration": "soon" }, undefined],
  ] as const)("%s: no token or AWS secret in the log, summary, outputs or state", async (_, inputs, variant) => {
    const { step } = actionRun({ ...inputs }, variant);
    const run = await step;
    tally.scenario(0);
    const log = run.stdout.replace(/^::add-mask::.*$/gm, "");
    for (const secret of [TOKEN, AWS_SECRET, AWS_SESSION]) {
      for (const [where, text] of Object.entries({
        log,
        summary: run.summary,
        outputs: JSON.stringify(run.outputs),
        state: JSON.stringify(run.state),
      })) {
        expect(text.includes(secret), `${secret.slice(0, 6)}… in the ${where}`).toBe(false);
      }
    }
    // The token is masked before anything else is written.
    expect(run.stdout.indexOf(`::add-mask::${TOKEN}`)).toBe(0);
  });
});

describe("no shell", () => {
  it("no module of the product starts a process, so no input can reach a shell", () => {
    const files = readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const spawning = files.filter((f) =>
      /node:child_process|["']child_process["']/.test(readFileSync(join("src", f), "utf8")),
    );
    tally.scenario(0);
    expect(files.length).toBeGreaterThan(50);
    expect(spawning).toEqual([]);
  });
});
