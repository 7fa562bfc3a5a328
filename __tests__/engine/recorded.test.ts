import { describe, expect, it } from "vitest";
import type { CageEvent } from "../../src/engine/events.js";
import { recordedCanaries } from "../../src/engine/recorded.js";

describe("recordedCanaries", () => {
  it("reads back the canary and each target group it was registered to from the main step's events", () => {
    const events: CageEvent[] = [
      { at: 1, type: "resource", kind: "task-definition", id: "arn:td/web:42" },
      {
        at: 2,
        type: "resource",
        kind: "canary-task",
        id: "arn:task/c/abc",
        detail: { cluster: "prod", service: "web" },
      },
      {
        at: 3,
        type: "resource",
        kind: "target-registration",
        id: "x",
        detail: { targetGroupArn: "arn:tg/a", targetId: "10.0.0.9", port: 8080, taskArn: "arn:task/c/abc" },
      },
      {
        at: 4,
        type: "resource",
        kind: "target-registration",
        id: "y",
        detail: { targetGroupArn: "arn:tg/b", targetId: "10.0.0.9", port: 9090, taskArn: "arn:task/c/abc" },
      },
      { at: 5, type: "notice", level: "info", message: "unrelated" },
    ];
    expect(recordedCanaries(events)).toEqual([
      {
        taskArn: "arn:task/c/abc",
        cluster: "prod",
        registrations: [
          { targetGroupArn: "arn:tg/a", id: "10.0.0.9", port: 8080 },
          { targetGroupArn: "arn:tg/b", id: "10.0.0.9", port: 9090 },
        ],
      },
    ]);
  });

  it("finds nothing in a run that never started a canary", () => {
    expect(recordedCanaries([{ at: 1, type: "phase-started", phase: "preflight" }])).toEqual([]);
  });
});
