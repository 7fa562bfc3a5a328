import { describe, expect, it } from "vitest";
import { CleanupTracker, parsePending } from "../../src/action/cleanup-state.js";
import { at, TASK, TG } from "../report/fixtures.js";

describe("CleanupTracker", () => {
  it("saves what is left to clean after every change, and nothing once the engine cleaned up", () => {
    const saved: string[] = [];
    const tracker = new CleanupTracker("us-west-2", "prod", (name, value) => saved.push(`${name}=${value}`));
    const events = at([
      [0, { type: "resource", kind: "canary-task", id: TASK, detail: { cluster: "prod" } }],
      [
        1,
        {
          type: "resource",
          kind: "target-registration",
          id: `${TG}|10.0.1.5:8080`,
          detail: { taskArn: TASK, targetGroupArn: TG, targetId: "10.0.1.5", port: 8080 },
        },
      ],
      [2, { type: "heartbeat", phase: "target-health", message: "waiting" }],
      [3, { type: "cleanup", action: "deregister", target: `${TG} (10.0.1.5:8080)`, outcome: "requested" }],
      [4, { type: "cleanup", action: "deregister", target: `${TG} (10.0.1.5:8080)`, outcome: "done" }],
      [5, { type: "cleanup", action: "stop", target: TASK, outcome: "done" }],
    ]);
    for (const event of events) tracker.track(event);
    const states = saved.map((line) => parsePending(line.slice("cleanup=".length)));
    expect(states.map((s) => [s?.tasks.length, s?.registrations.length])).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
      [0, 0],
    ]);
    expect(states[1]?.registrations).toEqual([{ targetGroupArn: TG, targetId: "10.0.1.5", port: 8080 }]);
  });

  it.each([["not json"], ['{"tasks": 1}'], [""]])("reads a damaged state %j as nothing to do", (text) => {
    expect(parsePending(text)).toBeUndefined();
  });
});
