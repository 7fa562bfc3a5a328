import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { assessServiceDeployment } from "../../src/engine/service-deployment.js";

const sd = (over: Partial<ServiceDeployment>): ServiceDeployment => ({
  serviceDeploymentArn: "arn:aws:ecs:us-east-1:123456789012:service-deployment/production/web/1",
  status: "IN_PROGRESS",
  ...over,
});

describe("assessServiceDeployment", () => {
  it("passes a SUCCESSFUL deployment", () => {
    expect(assessServiceDeployment(sd({ status: "SUCCESSFUL" }), "deployed")).toMatchObject({
      done: true,
      value: { state: "SUCCESSFUL" },
    });
  });

  it("keeps waiting through the bake when waiting until deployed, stops there for traffic-shifted", () => {
    const baking = sd({ lifecycleStage: "BAKE_TIME" });
    expect(assessServiceDeployment(baking, "deployed").done).toBe(false);
    expect(assessServiceDeployment(baking, "traffic-shifted")).toMatchObject({
      done: true,
      value: { state: "TRAFFIC_SHIFTED", stage: "BAKE_TIME" },
    });
    expect(assessServiceDeployment(sd({ lifecycleStage: "PRODUCTION_TRAFFIC_SHIFT" }), "traffic-shifted").done).toBe(
      false,
    );
  });

  it("names the triggered alarm of a rolled-back deployment", () => {
    const d = sd({
      status: "ROLLBACK_SUCCESSFUL",
      alarms: { status: "TRIGGERED", alarmNames: ["web-5xx"], triggeredAlarmNames: ["web-5xx"] },
    });
    expect(assessServiceDeployment(d, "deployed")).toMatchObject({
      done: true,
      value: { state: "ROLLED_BACK", reason: expect.stringContaining("web-5xx") },
    });
  });

  it("gives the circuit breaker's failure count", () => {
    const d = sd({
      status: "ROLLBACK_SUCCESSFUL",
      deploymentCircuitBreaker: { status: "TRIGGERED", failureCount: 3, threshold: 3 },
    });
    expect(assessServiceDeployment(d, "deployed")).toMatchObject({
      value: { state: "ROLLED_BACK", reason: expect.stringContaining("3 failed tasks") },
    });
  });

  it("names the superseding deployment of a stopped one", () => {
    const d = sd({ status: "STOPPED" });
    expect(assessServiceDeployment(d, "deployed", "arn:newer")).toMatchObject({
      value: { state: "SUPERSEDED", supersededBy: "arn:newer", reason: expect.stringContaining("arn:newer") },
    });
    expect(assessServiceDeployment(d, "deployed")).toMatchObject({ value: { state: "STOPPED" } });
  });

  it("returns PAUSED with the hookId and expiresAt of a PAUSE hook awaiting action", () => {
    const expiresAt = new Date("2026-12-07T05:00:00Z");
    const d = sd({
      lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
      lifecycleHookDetails: [{ hookId: "hook-1", targetType: "PAUSE", status: "AWAITING_ACTION", expiresAt }],
    });
    expect(assessServiceDeployment(d, "paused")).toMatchObject({
      done: true,
      value: { state: "PAUSED", hookId: "hook-1", expiresAt, stage: "POST_TEST_TRAFFIC_SHIFT" },
    });
    expect(assessServiceDeployment(d, "deployed").done).toBe(false);
  });

  it("does not count the hook just answered, which may still read AWAITING_ACTION, as a new pause", () => {
    const d = sd({
      lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
      lifecycleHookDetails: [{ hookId: "hook-1", targetType: "PAUSE", status: "AWAITING_ACTION" }],
    });
    expect(assessServiceDeployment(d, "paused", undefined, "hook-1").done).toBe(false);
    const next = sd({
      lifecycleStage: "POST_PRODUCTION_TRAFFIC_SHIFT",
      lifecycleHookDetails: [
        { hookId: "hook-1", targetType: "PAUSE", status: "SUCCEEDED" },
        { hookId: "hook-2", targetType: "PAUSE", status: "AWAITING_ACTION" },
      ],
    });
    expect(assessServiceDeployment(next, "paused", undefined, "hook-1")).toMatchObject({
      value: { state: "PAUSED", hookId: "hook-2", stage: "POST_PRODUCTION_TRAFFIC_SHIFT" },
    });
  });
});
