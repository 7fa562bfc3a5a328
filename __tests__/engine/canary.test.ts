import type { ContainerDefinition, Task } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { assessContainerHealth, assessRunning } from "../../src/engine/canary.js";
import { CageError } from "../../src/engine/errors.js";

const ARN = "arn:aws:ecs:us-east-1:123456789012:task/production/0123456789abcdef";
const task = (over: Partial<Task> = {}): Task => ({
  taskArn: ARN,
  lastStatus: "RUNNING",
  desiredStatus: "RUNNING",
  ...over,
});
const withHealth = (...health: [string, string][]): Task =>
  task({ containers: health.map(([name, healthStatus]) => ({ name, healthStatus: healthStatus as "HEALTHY" })) });

/** The poll's failure message, or its state when it did not fail. */
function outcome(poll: ReturnType<typeof assessRunning> | ReturnType<typeof assessContainerHealth>): unknown {
  if (poll.done) return "done";
  if ("failed" in poll) {
    expect(poll.failed).toBeInstanceOf(CageError);
    return { failed: poll.failed.what };
  }
  return { seen: poll.seen };
}

describe("assessRunning", () => {
  it.each([
    ["not visible yet", undefined, { seen: "not visible yet" }],
    ["provisioning", task({ lastStatus: "PROVISIONING" }), { seen: "PROVISIONING" }],
    ["running", task(), "done"],
    [
      "on its way down before it ran",
      task({ lastStatus: "PENDING", desiredStatus: "STOPPED", stoppedReason: "Essential container in task exited" }),
      { failed: `Canary task ${ARN} stopping (now PENDING) (Essential container in task exited).` },
    ],
    [
      "stopped",
      task({ lastStatus: "STOPPED", desiredStatus: "STOPPED", stopCode: "TaskFailedToStart" }),
      { failed: `Canary task ${ARN} stopped (TaskFailedToStart: no reason given).` },
    ],
  ])("%s", (_, seen, expected) => {
    expect(outcome(assessRunning(seen))).toEqual(expected);
  });
});

describe("assessContainerHealth", () => {
  const containers: ContainerDefinition[] = [
    { name: "app", healthCheck: { command: ["CMD", "true"] } },
    { name: "sidecar", healthCheck: { command: ["CMD", "true"] } },
    { name: "log-router" },
  ];

  it.each([
    ["not visible", undefined, { seen: "not visible" }],
    [
      "both still UNKNOWN",
      withHealth(["app", "UNKNOWN"], ["sidecar", "UNKNOWN"]),
      { seen: "app: UNKNOWN, sidecar: UNKNOWN" },
    ],
    ["one HEALTHY, one not yet", withHealth(["app", "HEALTHY"]), { seen: "sidecar: UNKNOWN" }],
    ["every checked one HEALTHY", withHealth(["app", "HEALTHY"], ["sidecar", "HEALTHY"]), "done"],
    [
      "one UNHEALTHY, at once",
      withHealth(["app", "HEALTHY"], ["sidecar", "UNHEALTHY"]),
      { failed: 'Canary container(s) "sidecar" became UNHEALTHY.' },
    ],
    [
      "the task on its way down, whatever its containers said",
      { ...withHealth(["app", "HEALTHY"], ["sidecar", "HEALTHY"]), desiredStatus: "STOPPED" },
      { failed: `Canary task ${ARN} stopping (now RUNNING).` },
    ],
  ])("%s", (_, seen, expected) => {
    expect(outcome(assessContainerHealth(seen, { containers }))).toEqual(expected);
  });
});
