import type { Deployment, Service } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { assessDeployment, deploymentPollMs, judgeDeployment, progressOf } from "../../src/engine/deployment-watch.js";

const d = (over: Partial<Deployment>): Deployment => ({ runningCount: 1, desiredCount: 2, ...over });
const service = (...deployments: Deployment[]): Service => ({ deployments });

describe("judgeDeployment", () => {
  it("is done when THAT deployment is COMPLETED", () => {
    expect(judgeDeployment(service(d({ id: "new", status: "PRIMARY", rolloutState: "COMPLETED" })), "new").state).toBe(
      "COMPLETED",
    );
  });

  it("keeps waiting while it is IN_PROGRESS", () => {
    const s = service(
      d({ id: "new", status: "PRIMARY", rolloutState: "IN_PROGRESS" }),
      d({ id: "old", status: "ACTIVE", rolloutState: "COMPLETED" }),
    );
    expect(judgeDeployment(s, "new").state).toBe("IN_PROGRESS");
  });

  it("reports a circuit-breaker rollback that left the service stable on the old revision as a rollback, not success", () => {
    const s = service(
      d({ id: "rollback", status: "PRIMARY", rolloutState: "IN_PROGRESS", taskDefinition: "web:41" }),
      d({
        id: "new",
        status: "ACTIVE",
        rolloutState: "FAILED",
        rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
      }),
    );
    expect(judgeDeployment(s, "new")).toMatchObject({
      state: "ROLLED_BACK",
      reason: expect.stringContaining("circuit breaker"),
    });
  });

  it("reports a rollback even after the failed deployment has left the list", () => {
    const s = service(
      d({
        id: "rollback",
        status: "PRIMARY",
        rolloutState: "COMPLETED",
        rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId new.",
      }),
    );
    expect(judgeDeployment(s, "new").state).toBe("ROLLED_BACK");
  });

  it("reports a rollback seen only after it completed, when it runs the revision the service ran before", () => {
    const s = service(d({ id: "later", status: "PRIMARY", rolloutState: "COMPLETED", taskDefinition: "web:41" }));
    expect(judgeDeployment(s, "new", "web:41")).toMatchObject({
      state: "ROLLED_BACK",
      replacedBy: { id: "later" },
      reason: expect.stringContaining("back to web:41"),
    });
    expect(judgeDeployment(s, "new", "web:40").state).toBe("SUPERSEDED");
  });

  it("reports FAILED without rollback", () => {
    const s = service(d({ id: "new", status: "PRIMARY", rolloutState: "FAILED", rolloutStateReason: "tasks failed" }));
    expect(judgeDeployment(s, "new")).toMatchObject({ state: "FAILED", reason: "tasks failed" });
  });

  it("reports a deployment replaced by someone else's update", () => {
    expect(
      judgeDeployment(service(d({ id: "other", status: "PRIMARY", rolloutState: "IN_PROGRESS" })), "new").state,
    ).toBe("SUPERSEDED");
  });
});

describe("assessDeployment", () => {
  const watch = { deploymentId: "new", previousTaskDefinition: "web:1" };
  it.each([
    [
      "in progress",
      service(d({ id: "new", status: "PRIMARY", rolloutState: "IN_PROGRESS", failedTasks: 1 })),
      { done: false, seen: "IN_PROGRESS: 1/2 running, 1 failed" },
    ],
    [
      "completed",
      service(d({ id: "new", status: "PRIMARY", rolloutState: "COMPLETED" })),
      { done: true, state: "COMPLETED" },
    ],
    [
      "replaced by the previous revision: ECS rolled back",
      service(d({ id: "back", status: "PRIMARY", rolloutState: "IN_PROGRESS", taskDefinition: "web:1" })),
      { done: true, state: "ROLLED_BACK" },
    ],
    ["the service gone", undefined, { done: true, state: "SUPERSEDED" }],
  ])("%s", (_, seen, expected) => {
    const poll = assessDeployment(seen, watch);
    expect(poll.done ? { done: true, state: poll.value.state } : poll).toEqual(expected);
  });
});

describe("progressOf", () => {
  it("is the followed deployment's counts and state, as an event", () => {
    const s = service(
      d({ id: "new", status: "PRIMARY", rolloutState: "IN_PROGRESS", runningCount: 1, rolloutStateReason: "going" }),
      d({ id: "old", status: "ACTIVE", rolloutState: "COMPLETED" }),
    );
    expect(progressOf(s, "new")).toEqual({
      type: "deployment",
      deploymentId: "new",
      rolloutState: "IN_PROGRESS",
      runningCount: 1,
      desiredCount: 2,
      reason: "going",
    });
  });

  it("is nothing once the service no longer lists it", () => {
    expect(progressOf(service(d({ id: "other", status: "PRIMARY" })), "new")).toBeUndefined();
    expect(progressOf(undefined, "new")).toBeUndefined();
  });
});

describe("deploymentPollMs", () => {
  it.each([
    [0, 3_000],
    [90_000, 6_000],
    [600_000, 15_000],
  ])("after %d ms waits %d ms", (elapsed, delay) => {
    expect(deploymentPollMs(elapsed)).toBe(delay);
  });
});
