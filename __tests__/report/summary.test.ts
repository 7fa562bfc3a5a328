import { describe, expect, it } from "vitest";
import type { CageEvent } from "../../src/engine/events.js";
import { renderSummary } from "../../src/report/summary.js";
import { at, failedCanary, NEW_TD, reportOf, succeeded, T0, TASK, TG } from "./fixtures.js";
import { ganttAxisLabels, parseGantt } from "./mermaid.js";

const PHASES = ["preflight", "task-definition", "canary-start", "target-health", "service-update", "cleanup"];

const failed = {
  result: "failed" as const,
  message: "The canary never turned healthy. The service was not changed.",
  serviceChanged: false,
  canaryTaskArn: TASK,
};

describe("renderSummary", () => {
  it("opens a successful rollout with a tip and shows what was deployed", () => {
    const md = renderSummary(reportOf(successfulRolloutEvents(), succeeded));
    expect(md.startsWith("### Rollout of web succeeded\n\n> [!TIP]\n> web now runs web:43.")).toBe(true);
    expect(md).toContain("<code>web:42</code> → <code>web:43</code>");
    expect(md).toContain("sha256:4f2c9e0d1b2a");
    expect(md).toContain("Total 2m20s.");
    expect(md).not.toContain("#### Why");
  });

  it("puts the reason first when the canary fails, with a link to its log stream", () => {
    const md = renderSummary(reportOf(failedCanary(), failed));
    expect(md).toContain("> [!CAUTION]\n> The canary never turned healthy. The service was not changed.");
    const why = md.indexOf("#### Why");
    expect(why).toBeGreaterThan(0);
    expect(why).toBeLessThan(md.indexOf("#### What was tried (not deployed)"));
    expect(md).not.toContain("What was deployed");
    expect(md).toContain("EssentialContainerExited: Essential container in task exited");
    expect(md).toContain("<code>app</code> exited with code 1: CannotStartContainerError");
    expect(md).toContain("Target.ResponseCodeMismatch: Health checks failed with these codes: \\[502\\]");
    expect(md).toContain(
      "(https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Fweb/log-events/web$252Fapp$252F4f2c9e0d1b2a4c6e8f0a1b2c3d4e5f60)",
    );
  });

  it("shows the commands a message names as code, with no backslash before a backtick", () => {
    const message = "Cleaning up the canary failed: run `cage cleanup` for this service. The service was not changed.";
    const md = renderSummary(reportOf(failedCanary(), { ...failed, message }));
    expect(md).toContain("> Cleaning up the canary failed: run <code>cage cleanup</code> for this service.");
    expect(md).not.toContain("\\`");
  });

  it.each([
    ["succeeded", succeeded, "#### What was deployed\n", "<code>web:42</code> → <code>web:43</code>"],
    [
      "failed before the service changed",
      { ...failed, taskDefinitionArn: NEW_TD },
      "#### What was tried (not deployed)\n",
      "<code>web:43</code> (registered, not deployed; the service stays on <code>web:42</code>)",
    ],
    [
      "rolled back",
      { ...succeeded, result: "rolled-back" as const, message: "rolled back to web:42" },
      "#### What was deployed, then rolled back\n",
      "<code>web:42</code> → <code>web:43</code>",
    ],
  ])(
    "says what was deployed only when it was (%s), as a list without an empty table header",
    (_, result, heading, td) => {
      const md = renderSummary(reportOf(failedCanary(), result));
      expect(md).toContain(
        `${heading}\n- **Service**: <code>web</code> on <code>prod</code> (us-west-2)\n- **Task definition**: ${td}\n`,
      );
      expect(md.split("\n").filter((line) => /^\|(\s*\|)+$/.test(line))).toEqual([]);
      if (result.result !== "succeeded" && !result.serviceChanged) expect(md).not.toContain("What was deployed");
    },
  );

  it.each([
    ["a 0 s failure", 0],
    ["a quarter of a second", 250],
    ["three seconds", 3_000],
    ["a canary's 2m20s", 140_000],
    ["a 45 minute deployment", 45 * 60_000],
    ["a six hour wait", 6 * 3_600_000],
  ])("labels each tick of the timeline's axis differently for %s", async (_, span) => {
    const events: CageEvent[] = [
      { type: "phase-started", phase: "preflight", at: T0 },
      { type: "phase-finished", phase: "preflight", outcome: "failed", detail: "no such service", at: T0 + span },
      { type: "verdict", result: "failed", message: "no such service", serviceChanged: false, at: T0 + span },
    ];
    const labels = await ganttAxisLabels(renderSummary(reportOf(events, failed)));
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(labels.length).toBeLessThanOrEqual(10);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("draws a gantt that mermaid parses into the same phases and health states", async () => {
    const events = successfulRolloutEvents();
    const tasks = await parseGantt(renderSummary(reportOf(events, succeeded)));
    // The fixture's phases, read off its events by hand (seconds after T0).
    const second = (s: number) => T0 + s * 1000;
    expect(tasks.filter((t) => t.section === "Phases").map((t) => [t.name, t.start, t.end])).toEqual([
      ["preflight", second(0), second(1)],
      ["task-definition", second(1), second(2)],
      ["canary-start", second(2), second(20)],
      ["target-health", second(20), second(66)],
      ["service-update", second(66), second(130)],
      ["cleanup", second(130), second(140)],
    ]);
    expect(tasks.filter((t) => t.section === "Target group web-tg").map((t) => [t.name, t.start, t.end])).toEqual([
      ["target 10.0.1.5 port 8080 initial", T0 + 21_000, T0 + 66_000],
      ["target 10.0.1.5 port 8080 healthy", T0 + 66_000, T0 + 140_000],
    ]);
  });

  it("draws every bar when event times have fractions of a millisecond", async () => {
    const events = successfulRolloutEvents().map((e, i) => ({ ...e, at: e.at + (i % 2 ? 0.462 : 0) }));
    const tasks = await parseGantt(renderSummary(reportOf(events, succeeded)));
    expect(tasks.filter((t) => t.section === "Phases").map((t) => t.name)).toEqual(PHASES);
    expect(tasks.filter((t) => t.section === "Target group web-tg").map((t) => t.name)).toEqual([
      "target 10.0.1.5 port 8080 initial",
      "target 10.0.1.5 port 8080 healthy",
    ]);
    for (const t of tasks) {
      expect(Number.isInteger(t.start) && Number.isInteger(t.end) && t.end > t.start).toBe(true);
    }
  });

  it("keeps untrusted text from AWS inert, in the reasons, the tables and the diagram", async () => {
    const hostile = "<img src=x onerror=alert(1)> [x](https://evil.example) @octocat #1 | ```\n# h";
    const events = at([
      [0, { type: "phase-started", phase: "canary-start", detail: hostile }],
      [
        1,
        {
          type: "target-health",
          targetGroupArn: `${TG.replace("web-tg", "a:b;c#d")}`,
          targetId: hostile,
          port: 1,
          state: hostile,
          reason: hostile,
        },
      ],
      [
        2,
        {
          type: "task-status",
          taskArn: TASK,
          lastStatus: "STOPPED",
          stoppedReason: hostile,
          containers: [{ name: hostile, exitCode: 2, reason: hostile }],
        },
      ],
      [3, { type: "phase-finished", phase: "canary-start", outcome: "failed", detail: hostile }],
      [3, { type: "notice", level: "warning", message: hostile }],
    ]);
    const md = renderSummary(
      reportOf(
        events,
        { ...failed, message: hostile },
        { target: { region: "us-west-2", cluster: hostile, service: hostile } },
      ),
    );
    const outsideFence = md.replace(/```mermaid\n[\s\S]*?\n```/, "");
    expect(outsideFence).not.toMatch(/<img|\]\(https:\/\/evil|@octocat|#1|```/);
    expect(md.split("\n").filter((line) => line.startsWith("# "))).toEqual([]);
    for (const row of md.split("\n").filter((line) => line.startsWith("| +"))) {
      expect(row.split(/(?<!\\)\|/).length).toBe(5);
    }
    const tasks = await parseGantt(md);
    expect(tasks.map((t) => t.section)).toContain("Target group a b c d");
  });

  it("stays under the limit by cutting the end and saying so", async () => {
    const events: CageEvent[] = [];
    for (let i = 0; i < 2000; i++) {
      events.push({ type: "phase-started", phase: "canary-running", at: T0 + i * 2000 });
      events.push({ type: "notice", level: "info", message: `poll ${i} ${"x".repeat(400)}`, at: T0 + i * 2000 + 1 });
      events.push({ type: "phase-finished", phase: "canary-running", outcome: "ok", at: T0 + i * 2000 + 1000 });
    }
    const limit = 64 * 1024;
    const md = renderSummary(reportOf(events, failed), { limitBytes: limit, maxEventRows: 10_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(limit);
    expect(md).toMatch(/This summary was cut to stay under GitHub's 1 MiB limit \(\d+ bytes left out\)/);
    expect(md.startsWith("### Rollout of web failed")).toBe(true);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    expect((md.match(/```/g) ?? []).length % 2).toBe(0);
    if (md.includes("```mermaid")) await parseGantt(md);
  });

  it("fits a very large run in GitHub's 1 MiB", () => {
    const events: CageEvent[] = [];
    for (let i = 0; i < 30_000; i++) {
      events.push({
        type: "target-health",
        targetGroupArn: TG,
        targetId: `10.0.${i % 250}.1`,
        port: 80,
        state: i % 2 ? "healthy" : "draining",
        reason: "x".repeat(40),
        at: T0 + i,
      });
    }
    events.push(
      { type: "phase-started", phase: "target-health", at: T0 },
      { type: "phase-finished", phase: "target-health", outcome: "ok", at: T0 + 30_000 },
    );
    const md = renderSummary(reportOf(events, { ...succeeded, taskDefinitionArn: NEW_TD }), { maxEventRows: 100_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(1024 * 1024);
    expect(md).toContain("This summary was cut");
  });
});

function successfulRolloutEvents(): CageEvent[] {
  return reportOf(successful(), succeeded).events as CageEvent[];
}

import { successfulRollout as successful } from "./fixtures.js";
