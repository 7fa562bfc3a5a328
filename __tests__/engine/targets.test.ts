import type { Task } from "@aws-sdk/client-ecs";
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { CageError } from "../../src/engine/errors.js";
import {
  assessTargets,
  initialDeadlineMs,
  judgeTarget,
  nextTargetLookMs,
  type PlannedTarget,
  plannedTargets,
  portMismatches,
  TARGET_POLL_MS,
  type TargetGroupInfo,
} from "../../src/engine/targets.js";

const group = (over: Partial<TargetGroupInfo> = {}): TargetGroupInfo => ({
  arn: "arn:tg/web",
  name: "web",
  targetType: "ip",
  intervalMs: 30_000,
  timeoutMs: 5_000,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  deregistrationDelayMs: 300_000,
  ...over,
});

const health = (State: string, Reason?: string, Description?: string): TargetHealthDescription =>
  ({
    Target: { Id: "10.0.0.5", Port: 8080 },
    TargetHealth: { State, ...(Reason ? { Reason } : {}), ...(Description ? { Description } : {}) },
  }) as TargetHealthDescription;

describe("judgeTarget", () => {
  it.each([
    ["healthy", undefined, 10_000, "healthy"],
    ["initial", "Elb.InitialHealthChecking", 100_000, "waiting"],
    ["unhealthy", "Target.ResponseCodeMismatch", 31_000, "failed"],
    ["draining", "Target.DeregistrationInProgress", 31_000, "failed"],
    ["unavailable", "Target.HealthCheckDisabled", 31_000, "failed"],
    ["unused", "Target.NotRegistered", 5_000, "waiting"],
    ["unused", "Target.NotRegistered", 45_000, "failed"],
    ["unused", "Target.NotInUse", 5_000, "failed"],
  ])("judges %s (%s) after %d ms as %s", (state, reason, since, kind) => {
    expect(judgeTarget(health(state, reason), group(), since).kind).toBe(kind);
  });

  it("bounds 'initial' by the target group's own health check settings, not forever", () => {
    const g = group({ intervalMs: 10_000, healthyThreshold: 3, timeoutMs: 5_000 });
    const limit = initialDeadlineMs(g);
    expect(limit).toBe(4 * 10_000 + 5_000 + 60_000);
    expect(judgeTarget(health("initial"), g, limit).kind).toBe("waiting");
    const verdict = judgeTarget(health("initial", "Elb.InitialHealthChecking"), g, limit + 1);
    expect(verdict).toEqual({
      kind: "failed",
      message:
        "stayed 'initial' (Elb.InitialHealthChecking) for 106s > limit 105s, what its target group's health checks need",
    });
  });

  it("fails at once on 'unhealthy' with the reason code and description", () => {
    const verdict = judgeTarget(
      health("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"),
      group(),
      1,
    );
    expect(verdict).toEqual({
      kind: "failed",
      message: "is 'unhealthy' (Target.ResponseCodeMismatch: Health checks failed with these codes: [500])",
    });
  });
});

describe("assessTargets", () => {
  const a: PlannedTarget = {
    targetGroupArn: "arn:tg/a",
    containerName: "app",
    containerPort: 8080,
    id: "10.0.0.5",
    port: 8080,
  };
  const b: PlannedTarget = { ...a, targetGroupArn: "arn:tg/b", port: 9090, containerPort: 9090 };
  // 10 s checks, 3 to turn healthy: 'initial' may last (3 + 1) × 10 s + 5 s + 60 s = 105 s.
  const groups = new Map([
    ["arn:tg/a", group({ arn: "arn:tg/a", name: "web-a", intervalMs: 10_000, healthyThreshold: 3 })],
    ["arn:tg/b", group({ arn: "arn:tg/b", name: "web-b", intervalMs: 30_000, healthyThreshold: 3 })],
  ]);
  const look = (target: PlannedTarget, state?: string, reason?: string) => ({
    target,
    description: state ? health(state, reason) : undefined,
  });

  it.each([
    ["every target healthy", [look(a, "healthy"), look(b, "healthy")], 40_000, { done: true, value: undefined }],
    [
      "one still initial, looked at again just after its group's next check",
      [look(a, "healthy"), look(b, "initial", "Elb.InitialHealthChecking")],
      40_000,
      { done: false, seen: "10.0.0.5:9090 initial", next: 20_500 },
    ],
    [
      "both pending: the sooner of their groups' next checks",
      [look(a, "initial"), look(b, "initial")],
      25_000,
      { done: false, seen: "10.0.0.5:8080 initial, 10.0.0.5:9090 initial", next: 5_500 },
    ],
    [
      "not registered yet, within the grace",
      [look(a, "unused", "Target.NotRegistered")],
      5_000,
      { done: false, seen: "10.0.0.5:8080 unused", next: 5_500 },
    ],
    [
      "a group not read: the default interval",
      [look({ ...a, targetGroupArn: "arn:tg/unknown" }, "initial")],
      5_000,
      { done: false, seen: "10.0.0.5:8080 initial", next: TARGET_POLL_MS },
    ],
  ])("%s", (_, looks, elapsed, poll) => {
    expect(assessTargets(looks, groups, elapsed).poll).toEqual(poll);
  });

  it.each([
    [
      "initial past its group's limit",
      [look(a, "initial", "Elb.InitialHealthChecking")],
      125_000,
      "Canary target 10.0.0.5:8080 in target group web-a stayed 'initial' (Elb.InitialHealthChecking) for 125s > limit 105s, what its target group's health checks need.",
    ],
    [
      "unhealthy, at once",
      [look(a, "healthy"), look(b, "unhealthy", "Target.ResponseCodeMismatch")],
      10_000,
      "Canary target 10.0.0.5:9090 in target group web-b is 'unhealthy' (Target.ResponseCodeMismatch).",
    ],
    [
      "never registered, past the grace",
      [look(a, "unused", "Target.NotRegistered")],
      31_000,
      "Canary target 10.0.0.5:8080 in target group web-a is 'unused' (Target.NotRegistered) 31s after registration ≥ 30s.",
    ],
    ["not described at all", [look(a)], 1_000, "Canary target 10.0.0.5:8080 in target group web-a is 'unused'."],
  ])("fails on a target %s, stating the comparison", (_, looks, elapsed, what) => {
    const { poll } = assessTargets(looks, groups, elapsed);
    expect(poll.done).toBe(false);
    const failed = "failed" in poll ? poll.failed : undefined;
    expect(failed).toBeInstanceOf(CageError);
    expect(failed?.what).toBe(what);
    expect(failed?.fix).toContain('Check that container "app" answers');
  });

  it("gives each target its verdict, so the healthy ones are not looked at again", () => {
    const { verdicts } = assessTargets([look(a, "healthy"), look(b, "initial")], groups, 40_000);
    expect(verdicts.map((v) => [v.target.port, v.verdict.kind])).toEqual([
      [8080, "healthy"],
      [9090, "waiting"],
    ]);
  });
});

describe("nextTargetLookMs", () => {
  it.each([
    [0, 10_500],
    [10_000, 500],
    [10_500, 10_000],
    [25_000, 5_500],
  ])("with a 10 s interval, at %d ms after registration looks again in %d ms", (since, next) => {
    expect(nextTargetLookMs(group({ intervalMs: 10_000 }), since)).toBe(next);
  });
});

describe("portMismatches", () => {
  const lbs = [{ targetGroupArn: "arn:tg/web", containerName: "app", containerPort: 8080 }];
  it("accepts the container port the load balancer entry names, not just the first mapping", () => {
    const containers = [{ name: "app", portMappings: [{ containerPort: 9000 }, { containerPort: 8080 }] }];
    expect(portMismatches(lbs, containers)).toEqual([]);
  });
  it.each([
    [[{ name: "web", portMappings: [{ containerPort: 8080 }] }], 'names container "app"'],
    [[{ name: "app", portMappings: [{ containerPort: 9000 }] }], "no port mapping for containerPort 8080"],
  ])("reports %j", (containers, text) => {
    expect(portMismatches(lbs, containers)[0]).toContain(text);
  });
});

describe("plannedTargets", () => {
  const awsvpcTask: Task = {
    attachments: [
      {
        type: "ElasticNetworkInterface",
        status: "ATTACHED",
        details: [
          { name: "privateIPv4Address", value: "10.0.1.23" },
          { name: "subnetId", value: "subnet-a" },
        ],
      },
    ],
  };
  const bridgeTask: Task = {
    containerInstanceArn: "arn:ci/1",
    containers: [
      { name: "sidecar", networkBindings: [{ containerPort: 9000, hostPort: 32001 }] },
      {
        name: "app",
        networkBindings: [
          { containerPort: 9000, hostPort: 32002 },
          { containerPort: 8080, hostPort: 32768 },
        ],
      },
    ],
  };

  it("registers an awsvpc canary by ENI IP on the container port, with the subnet's AZ, in every target group", () => {
    const lbs = [
      { targetGroupArn: "arn:tg/a", containerName: "app", containerPort: 8080 },
      { targetGroupArn: "arn:tg/b", containerName: "app", containerPort: 9090 },
    ];
    const groups = new Map([
      ["arn:tg/a", group({ arn: "arn:tg/a" })],
      ["arn:tg/b", group({ arn: "arn:tg/b" })],
    ]);
    const targets = plannedTargets(awsvpcTask, lbs, groups, { availabilityZone: "us-east-1a" });
    expect(targets.map((t) => [t.targetGroupArn, t.id, t.port, t.availabilityZone])).toEqual([
      ["arn:tg/a", "10.0.1.23", 8080, "us-east-1a"],
      ["arn:tg/b", "10.0.1.23", 9090, "us-east-1a"],
    ]);
  });

  it("registers a bridge canary by instance id on the dynamic host port bound to the named container port", () => {
    const lbs = [{ targetGroupArn: "arn:tg/a", containerName: "app", containerPort: 8080 }];
    const groups = new Map([["arn:tg/a", group({ arn: "arn:tg/a", targetType: "instance" })]]);
    const [target] = plannedTargets(bridgeTask, lbs, groups, { ec2InstanceId: "i-0abc" });
    expect(target).toMatchObject({ id: "i-0abc", port: 32768 });
    expect(target?.availabilityZone).toBeUndefined();
  });

  it("refuses a canary whose container port has no host binding, instead of crashing", () => {
    const lbs = [{ targetGroupArn: "arn:tg/a", containerName: "app", containerPort: 7000 }];
    const groups = new Map([["arn:tg/a", group({ arn: "arn:tg/a", targetType: "instance" })]]);
    expect(() => plannedTargets(bridgeTask, lbs, groups, { ec2InstanceId: "i-0abc" })).toThrow(CageError);
  });

  it("skips Classic Load Balancer entries, which have no target group", () => {
    expect(
      plannedTargets(
        awsvpcTask,
        [{ loadBalancerName: "classic", containerName: "app", containerPort: 80 }],
        new Map(),
        {},
      ),
    ).toEqual([]);
  });
});
