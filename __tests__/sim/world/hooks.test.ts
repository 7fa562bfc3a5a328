/** Lifecycle hooks and StopServiceDeployment on native deployments, with a clock the test moves. */
import { describe, expect, it } from "vitest";
import { WorldBuilder } from "../../../src/sim/world/index.js";
import {
  BLUE_GREEN_LOAD_BALANCERS,
  BLUE_TG,
  GREEN_TG,
  listenerWorldJson,
  PROD_RULE,
  TEST_RULE,
  withWebV2,
} from "../conformance/listener-world.js";
import { Harness } from "./harness.js";

const web = { cluster: "production", service: "web" };
const ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRole";
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:smoke";
const loadBalancers = BLUE_GREEN_LOAD_BALANCERS;
const pauseAfterTest = {
  targetType: "PAUSE",
  lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"],
  timeoutConfiguration: { timeoutInMinutes: 10, action: "ROLLBACK" },
};

function deploy(lambdas: Record<string, unknown> = {}, hooks: unknown[] = [pauseAfterTest]) {
  const h = new Harness(WorldBuilder.from(listenerWorldJson((w) => Object.assign(withWebV2(w) ?? w, { lambdas }))));
  const svc = h.call("ecs", "UpdateService", {
    ...web,
    taskDefinition: "web:2",
    loadBalancers,
    deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 5, lifecycleHooks: hooks },
  }).service;
  const arn = svc.currentServiceDeployment as string;
  const look = () =>
    h.call("ecs", "DescribeServiceDeployments", { serviceDeploymentArns: [arn] }).serviceDeployments[0];
  /** Moves 5 s at a time until `until` holds (at most an hour). */
  const waitFor = (until: (d: any) => boolean) => {
    for (let t = 0; t < 3600; t += 5) {
      const d = look();
      if (until(d)) return d;
      h.advance(5);
    }
    throw new Error(`never: ${JSON.stringify(look())}`);
  };
  return { h, arn, look, waitFor };
}

function weights(h: Harness, rule: string): number[] {
  const [r] = h.call("elbv2", "DescribeRules", { RuleArns: [rule] }).Rules;
  return [BLUE_TG, GREEN_TG].map(
    (arn) => r.Actions[0].ForwardConfig.TargetGroups.find((t: any) => t.TargetGroupArn === arn).Weight,
  );
}

const paused = (d: any) => d.lifecycleHookDetails.some((x: any) => x.status === "AWAITING_ACTION");
const ended = (d: any) => !["IN_PROGRESS", "ROLLBACK_IN_PROGRESS"].includes(d.status);

describe("a PAUSE hook", () => {
  it("waits in AWAITING_ACTION after the test shift until ContinueServiceDeployment, then the deployment ends", () => {
    const { h, arn, waitFor } = deploy();
    const at = waitFor(paused);
    expect(at.lifecycleStage).toBe("POST_TEST_TRAFFIC_SHIFT");
    const [hook] = at.lifecycleHookDetails;
    expect(hook).toMatchObject({ targetType: "PAUSE", status: "AWAITING_ACTION", timeoutAction: "ROLLBACK" });
    expect(hook.hookId).toMatch(/^ecs-pause-/);
    expect(weights(h, TEST_RULE)).toEqual([0, 100]);
    expect(weights(h, PROD_RULE)).toEqual([100, 0]);
    h.advance(60);
    expect(waitFor(() => true).lifecycleStage).toBe("POST_TEST_TRAFFIC_SHIFT");
    h.call("ecs", "ContinueServiceDeployment", { serviceDeploymentArn: arn, hookId: hook.hookId });
    const done = waitFor(ended);
    expect(done.status).toBe("SUCCESSFUL");
    expect(done.lifecycleHookDetails[0].status).toBe("SUCCEEDED");
    expect(weights(h, PROD_RULE)).toEqual([0, 100]);
  });

  it("rolls back when its timeout passes: traffic back on blue, green stopped", () => {
    const { h, waitFor } = deploy();
    const at = waitFor(paused);
    const expires = Date.parse(at.lifecycleHookDetails[0].expiresAt);
    const done = waitFor(ended);
    expect(done.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(done.lifecycleHookDetails[0].status).toBe("TIMED_OUT");
    expect(Date.parse(done.rollback.startedAt)).toBeGreaterThanOrEqual(expires);
    expect(weights(h, TEST_RULE)).toEqual([100, 0]);
    expect(weights(h, PROD_RULE)).toEqual([100, 0]);
    const green = h.call("elbv2", "DescribeTargetHealth", { TargetGroupArn: GREEN_TG }).TargetHealthDescriptions;
    expect(green.filter((d: any) => d.TargetHealth.State === "healthy")).toEqual([]);
  });

  it("rolls back on ContinueServiceDeployment with ROLLBACK, and refuses a second answer", () => {
    const { h, arn, waitFor } = deploy();
    const { hookId } = waitFor(paused).lifecycleHookDetails[0];
    h.call("ecs", "ContinueServiceDeployment", { serviceDeploymentArn: arn, hookId, action: "ROLLBACK" });
    expect(() => h.call("ecs", "ContinueServiceDeployment", { serviceDeploymentArn: arn, hookId })).toThrow(
      /IN_PROGRESS state|AWAITING_ACTION/,
    );
    expect(waitFor(ended).status).toBe("ROLLBACK_SUCCESSFUL");
  });

  it("cannot be placed at PRODUCTION_TRAFFIC_SHIFT", () => {
    expect(() => deploy({}, [{ targetType: "PAUSE", lifecycleStages: ["PRODUCTION_TRAFFIC_SHIFT"] }])).toThrow(
      /PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT/,
    );
  });
});

describe("an AWS_LAMBDA hook", () => {
  const lambdaAt = (stage: string) => [
    { targetType: "AWS_LAMBDA", hookTargetArn: LAMBDA, roleArn: ROLE, lifecycleStages: [stage] },
  ];

  it("answers as the world says: SUCCEEDED after 90 s holds green back until then", () => {
    const { h, waitFor, look } = deploy({ smoke: { outcome: "SUCCEEDED", seconds: 90 } }, lambdaAt("PRE_SCALE_UP"));
    expect(look()).toMatchObject({ lifecycleStage: "PRE_SCALE_UP", lifecycleHookDetails: [{ status: "IN_PROGRESS" }] });
    expect(h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns).toHaveLength(2);
    h.advance(85);
    expect(look().lifecycleStage).toBe("PRE_SCALE_UP");
    h.advance(5);
    expect(look().lifecycleStage).not.toBe("PRE_SCALE_UP");
    expect(waitFor(ended).status).toBe("SUCCESSFUL");
  });

  it("FAILED rolls the deployment back", () => {
    const { waitFor } = deploy({ [LAMBDA]: { outcome: "FAILED", seconds: 10 } }, lambdaAt("POST_SCALE_UP"));
    const done = waitFor(ended);
    expect(done).toMatchObject({ status: "ROLLBACK_SUCCESSFUL", lifecycleHookDetails: [{ status: "FAILED" }] });
    expect(done.statusReason).toMatch(/Lifecycle hook ecs-lambda-\S+ failed/);
  });
});

describe("StopServiceDeployment", () => {
  it("rolls a baking deployment back to blue, and refuses to stop it again", () => {
    const { h, arn, waitFor } = deploy({}, []);
    waitFor((d) => d.lifecycleStage === "BAKE_TIME");
    expect(weights(h, PROD_RULE)).toEqual([0, 100]);
    h.call("ecs", "StopServiceDeployment", { serviceDeploymentArn: arn, stopType: "ROLLBACK" });
    const done = waitFor(ended);
    expect(done.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(weights(h, PROD_RULE)).toEqual([100, 0]);
    expect(() => h.call("ecs", "StopServiceDeployment", { serviceDeploymentArn: arn })).toThrow(/can't be stopped/);
  });
});
