import { describe, expect, it } from "vitest";
import { CleanupTracker, hasWork, lastUnsettled, parsePending } from "../../src/action/cleanup-state.js";
import { at, TASK, TG } from "../report/fixtures.js";

const target = { region: "us-west-2", cluster: "prod", service: "web", runId: "99" };
const registration = {
  type: "resource",
  kind: "target-registration",
  id: `${TG}|10.0.1.5:8080`,
  detail: { taskArn: TASK, targetGroupArn: TG, targetId: "10.0.1.5", port: 8080 },
} as const;

function track(events: Parameters<typeof at>[0]) {
  const saved: string[] = [];
  const tracker = new CleanupTracker(target, (name, value) => saved.push(`${name}=${value}`));
  for (const event of at(events)) tracker.track(event);
  return saved.map((line) => parsePending(line.slice("cleanup=".length)));
}

describe("CleanupTracker", () => {
  it("saves what is left to clean after every change, and nothing once the engine cleaned up", () => {
    const states = track([
      [0, { type: "phase-started", phase: "canary-start" }],
      [1, { type: "resource", kind: "canary-task", id: TASK, detail: { cluster: "prod" } }],
      [2, registration],
      [3, { type: "heartbeat", phase: "target-health", message: "waiting" }],
      [4, { type: "cleanup", action: "deregister", target: `${TG} (10.0.1.5:8080)`, outcome: "requested" }],
      [5, { type: "cleanup", action: "deregister", target: `${TG} (10.0.1.5:8080)`, outcome: "done" }],
      [6, { type: "cleanup", action: "stop", target: TASK, outcome: "done" }],
    ]);
    expect(states.map((s) => [s?.launched, s?.recorded.map((r) => r.kind).join(",")])).toEqual([
      [true, ""],
      [true, "canary-task"],
      [true, "canary-task,target-registration"],
      [true, "canary-task"],
      [false, ""],
    ]);
    expect(states.map((s) => [s?.service, s?.runId])).toEqual(Array.from({ length: 5 }, () => ["web", "99"]));
    expect(hasWork(states[0] as NonNullable<(typeof states)[0]>)).toBe(true);
    expect(hasWork(states[4] as NonNullable<(typeof states)[0]>)).toBe(false);
  });

  it("keeps a registration whose deregistration failed after the task stopped", () => {
    const states = track([
      [0, { type: "phase-started", phase: "canary-start" }],
      [1, { type: "resource", kind: "canary-task", id: TASK, detail: { cluster: "prod" } }],
      [2, registration],
      [3, { type: "cleanup", action: "deregister", target: `${TG} (10.0.1.5:8080)`, outcome: "failed" }],
      [4, { type: "cleanup", action: "stop", target: TASK, outcome: "done" }],
    ]);
    const last = states.at(-1);
    expect(last?.recorded.map((r) => r.kind)).toEqual(["target-registration"]);
    expect(last && hasWork(last)).toBe(true);
  });

  it("tracks the one-off task of `run`", () => {
    const states = track([
      [0, { type: "phase-started", phase: "run-task" }],
      [1, { type: "resource", kind: "run-task", id: TASK, detail: { cluster: "prod" } }],
    ]);
    expect(states.at(-1)?.recorded.map((r) => [r.kind, r.id])).toEqual([["run-task", TASK]]);
  });

  it("saves finished when the engine concluded, and hands post all it recorded when a call's answer never came", () => {
    const run = (unsettled?: { operation: string; sentAt: number }[]) => {
      const saved = new Map<string, string>();
      const tracker = new CleanupTracker(target, (name, value) => saved.set(name, value));
      for (const event of at([
        [0, { type: "phase-started", phase: "canary-start" }],
        [1, { type: "resource", kind: "canary-task", id: TASK, detail: { cluster: "prod" } }],
        [2, registration],
        [3, { type: "cleanup", action: "deregister", target: `${TG} (10.0.1.5:8080)`, outcome: "done" }],
        [4, { type: "cleanup", action: "stop", target: TASK, outcome: "done" }],
      ]))
        tracker.track(event);
      tracker.concluded(unsettled ? { unsettled } : {});
      return { finished: saved.get("finished"), pending: parsePending(saved.get("cleanup") ?? "") };
    };
    const answered = run();
    expect(answered.finished).toBe("true");
    expect(answered.pending && hasWork(answered.pending)).toBe(false);

    const unanswered = run([{ operation: "elasticloadbalancing:RegisterTargets", sentAt: 1_000 }]);
    expect(unanswered.finished).toBeUndefined();
    expect(unanswered.pending).toMatchObject({
      launched: true,
      unsettled: [{ operation: "elasticloadbalancing:RegisterTargets", sentAt: 1_000 }],
    });
    expect(unanswered.pending?.recorded.map((r) => r.kind)).toEqual(["canary-task", "target-registration"]);
    expect(lastUnsettled(unanswered.pending as NonNullable<typeof unanswered.pending>)).toBe(1_000);
  });

  it.each([
    ["not json"],
    ['{"tasks": 1}'],
    [""],
    ['{"region":"us-west-2","cluster":"prod","tasks":[],"registrations":[]}'],
  ])("reads a damaged or older state %j as nothing to do", (text) => {
    expect(parsePending(text)).toBeUndefined();
  });
});
