/** Rollbacks that fail: ROLLBACK_FAILED as DescribeServiceDeployments shows it, with a clock the test moves. */
import { describe, expect, it } from "vitest";
import { WorldBuilder } from "../../../src/sim/world/index.js";
import {
  BLUE_GREEN_LOAD_BALANCERS,
  BLUE_TG,
  GREEN_TG,
  listenerWorldJson,
  PROD_RULE,
  withWebV2,
} from "../conformance/listener-world.js";
import { Harness } from "./harness.js";

const web = { cluster: "production", service: "web" };
const ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRole";
const lambda = (name: string, stage: string) => ({
  targetType: "AWS_LAMBDA",
  hookTargetArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  roleArn: ROLE,
  lifecycleStages: [stage],
});

const V2 = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2";

function harness(lambdas: Record<string, unknown> = {}, change: (b: WorldBuilder) => WorldBuilder = (b) => b) {
  return new Harness(
    change(WorldBuilder.from(listenerWorldJson((w) => Object.assign(withWebV2(w) ?? w, { lambdas })))),
  );
}

function follow(h: Harness, arn: string) {
  const look = () =>
    h.call("ecs", "DescribeServiceDeployments", { serviceDeploymentArns: [arn] }).serviceDeployments[0];
  for (let t = 0; t < 3600; t += 5) {
    const d = look();
    if (!["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"].includes(d.status)) return d;
    h.advance(5);
  }
  throw new Error(`never ended: ${JSON.stringify(look())}`);
}

const weights = (h: Harness) => {
  const [r] = h.call("elbv2", "DescribeRules", { RuleArns: [PROD_RULE] }).Rules;
  return [BLUE_TG, GREEN_TG].map(
    (arn) => r.Actions[0].ForwardConfig.TargetGroups.find((t: any) => t.TargetGroupArn === arn).Weight,
  );
};

/** A BLUE_GREEN deployment of web:2 whose Lambda hooks run at and after the production shift. */
function startWithHooks(h: ReturnType<typeof harness>) {
  return h.call("ecs", "UpdateService", {
    ...web,
    taskDefinition: "web:2",
    loadBalancers: BLUE_GREEN_LOAD_BALANCERS,
    deploymentConfiguration: {
      strategy: "BLUE_GREEN",
      bakeTimeInMinutes: 5,
      lifecycleHooks: [
        lambda("shift-check", "PRODUCTION_TRAFFIC_SHIFT"),
        lambda("smoke-after", "POST_PRODUCTION_TRAFFIC_SHIFT"),
      ],
    },
  }).service;
}
describe("a native rollback whose traffic-shift hook fails", () => {
  it("ends ROLLBACK_FAILED naming the hook, with the rollback's target revision, and leaves traffic where it was", () => {
    const h = harness({
      "smoke-after": { outcome: "FAILED" },
      "shift-check": { outcome: "SUCCEEDED", rollbackOutcome: "FAILED" },
    });
    const before = h.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0];
    const blueRevision = before.currentServiceRevisions[0].arn;
    const svc = startWithHooks(h);
    const d = follow(h, svc.currentServiceDeployment);
    expect(d.status).toBe("ROLLBACK_FAILED");
    expect(d.statusReason).toMatch(
      /^Rollback failed: lifecycle hook ecs-lambda-\S+ failed during the rollback's PRODUCTION_TRAFFIC_SHIFT\.$/,
    );
    expect(d.rollback).toMatchObject({ serviceRevisionArn: blueRevision });
    expect(d.rollback.reason).toMatch(/^Lifecycle hook ecs-lambda-\S+ failed\. Rolling back/);
    expect(Date.parse(d.rollback.startedAt)).toBeLessThanOrEqual(Date.parse(d.finishedAt));
    expect(d.lifecycleHookDetails.map((x: any) => x.status)).toEqual(["SUCCEEDED", "FAILED", "FAILED"]);
    // The rollback never shifted production back: green still serves it, blue still runs beside it.
    expect(weights(h)).toEqual([0, 100]);
    h.advance(600);
    const tasks = h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns;
    expect(tasks).toHaveLength(4);
    const events = h.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0].events;
    expect(events.some((e: any) => /rollback failed: lifecycle hook/.test(e.message))).toBe(true);
  });

  it("rolls back as before when the hook succeeds during the rollback", () => {
    const h = harness({ "smoke-after": { outcome: "FAILED" } });
    const svc = startWithHooks(h);
    expect(follow(h, svc.currentServiceDeployment).status).toBe("ROLLBACK_SUCCESSFUL");
    expect(weights(h)).toEqual([100, 0]);
  });
});

describe("a rollback whose tasks cannot start again", () => {
  it("ends ROLLBACK_FAILED when the old image was deleted and the old tasks were already replaced", () => {
    const h = harness({}, (b) => b.image(V2, { exitAfterSeconds: 5 }));
    // Nothing old is kept during the update, and the image the rollback needs is gone from ECR.
    h.call("ecs", "UpdateService", {
      ...web,
      deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 },
    });
    const deleted = h.call("ecr", "BatchDeleteImage", { repositoryName: "web", imageIds: [{ imageTag: "v1" }] });
    expect(deleted.imageIds).toHaveLength(1);
    const v1 = h.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0];
    const svc = h.call("ecs", "UpdateService", { ...web, taskDefinition: "web:2" }).service;
    // web:2's container exits, the circuit breaker rolls back to web:1, whose image is gone.
    const d = follow(h, svc.currentServiceDeployment);
    expect(d.status).toBe("ROLLBACK_FAILED");
    expect(d.rollback.serviceRevisionArn).toBe(v1.currentServiceRevisions[0].arn);
    expect(d.statusReason).toMatch(
      /^Rollback failed: \d+ tasks of service revision \S+ failed to start \(CannotPullContainerError/,
    );
    expect(d.deploymentCircuitBreaker.status).toBe("TRIGGERED");
  });
});
