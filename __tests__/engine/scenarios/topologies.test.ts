import { describe, expect, it } from "vitest";
import { rollout } from "../../../src/engine/rollout.js";
import type { WorldBuilder } from "../../../src/sim/world/index.js";
import {
  bridgeTaskDefinition,
  EC2_TG,
  ec2BridgeWorld,
  mutations,
  REPO,
  rolloutSettings,
  scenario,
  serviceState,
  TASK_SG,
  TG_ARN,
  targetsOf,
  webContext,
  webServiceSpec,
} from "./world.js";

const INTERNAL_TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-internal-tg/0a0b0c0d0e0f0a0b";

describe("cage rollout, a service with no load balancer", () => {
  const noLoadBalancer = (b: WorldBuilder) => b.service({ ...webServiceSpec(), loadBalancers: [] });

  it("keeps the canary RUNNING for the idle duration before updating the service", async () => {
    const s = scenario(undefined, noLoadBalancer);
    const context = webContext("v2", { loadBalancers: [] });
    const result = await rollout(rolloutSettings({ context, canaryTaskIdleDuration: 45_000 }), s.deps);
    expect(result.result).toBe("succeeded");
    const idle = s.timeline.events.filter(
      (e) => e.type.startsWith("phase-") && "phase" in e && e.phase === "canary-idle",
    );
    expect((idle[1]?.at ?? 0) - (idle[0]?.at ?? 0)).toBeGreaterThanOrEqual(45_000);
    expect(s.sim.journal.calls({ operation: "RegisterTargets" })).toEqual([]);
  });

  it("accepts an idle duration of 0", async () => {
    const s = scenario(undefined, noLoadBalancer);
    const context = webContext("v2", { loadBalancers: [] });
    const result = await rollout(rolloutSettings({ context, canaryTaskIdleDuration: 0 }), s.deps);
    expect(result.result).toBe("succeeded");
    expect(s.timeline.events).toContainEqual(
      expect.objectContaining({ type: "phase-finished", phase: "canary-idle", outcome: "skipped" }),
    );
  });

  it("fails the canary that exits during the idle duration", async () => {
    const s = scenario(undefined, (b) =>
      noLoadBalancer(b).image(`${REPO}:v2`, { exitAfterSeconds: 20, exitCode: 137 }),
    );
    const context = webContext("v2", { loadBalancers: [] });
    const result = await rollout(rolloutSettings({ context, canaryTaskIdleDuration: 60_000 }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("exited with code 137");
    expect(s.sim.journal.calls({ operation: "UpdateService" })).toEqual([]);
  });
});

describe("cage rollout, a service behind two target groups", () => {
  const twoTargetGroups = (b: WorldBuilder) =>
    b
      .loadBalancer({
        name: "web-internal",
        subnets: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        securityGroups: ["sg-0fedcba9876543210"],
        scheme: "internal",
      })
      .targetGroup({
        name: "web-internal-tg",
        arn: INTERNAL_TG,
        port: 8080,
        targetType: "ip",
        vpcId: "vpc-0a1b2c3d4e5f67890",
        loadBalancers: ["web-internal"],
        healthCheck: {
          path: "/health",
          intervalSeconds: 5,
          timeoutSeconds: 2,
          healthyThreshold: 2,
          unhealthyThreshold: 2,
        },
        deregistrationDelaySeconds: 10,
      })
      .service({
        ...webServiceSpec(),
        loadBalancers: [
          { targetGroup: "web-tg", containerName: "app", containerPort: 8080 },
          { targetGroup: "web-internal-tg", containerName: "app", containerPort: 8080 },
        ],
      });

  it("registers ONE canary to every target group and waits for each to call it healthy", async () => {
    const s = scenario(undefined, twoTargetGroups);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(s.sim.journal.calls({ operation: "RunTask" })).toHaveLength(1);
    const registered = s.sim.journal
      .calls({ operation: "RegisterTargets" })
      .map((c) => (c.params as { TargetGroupArn: string }).TargetGroupArn);
    expect(registered.sort()).toEqual([INTERNAL_TG, TG_ARN].sort());
    const healthy = s.timeline.events.filter((e) => e.type === "target-health" && e.state === "healthy");
    expect(healthy.map((e) => (e.type === "target-health" ? e.targetGroupArn : "")).sort()).toEqual(
      [INTERNAL_TG, TG_ARN].sort(),
    );
    expect((await serviceState(s)).canaries).toEqual([]);
  });
});

describe("cage rollout, an EC2 service in bridge mode with dynamic host ports", () => {
  // A second port ahead of the load balancer's: the canary must be registered on the right one.
  const bridgeTd = (tag: string) => bridgeTaskDefinition(tag, [9000, 8080]);
  const ec2World = ec2BridgeWorld(bridgeTd("v1"));

  it("registers the canary by instance id on the host port Docker bound to the load balancer's container port", async () => {
    const s = scenario(undefined, ec2World);
    const context = {
      ...webContext("v2"),
      service: { serviceName: "web-ec2", cluster: "production" },
      taskDefinition: bridgeTd("v2"),
    };
    const result = await rollout(
      rolloutSettings({ service: "web-ec2", context, canaryInstanceArn: "i-0a1b2c3d4e5f60011" }),
      s.deps,
    );
    expect(result.message).toContain("rolled out");
    expect(result.result).toBe("succeeded");
    expect(s.sim.journal.calls({ operation: "StartTask" })).toHaveLength(1);
    const [registration] = s.sim.journal.calls({ operation: "RegisterTargets" });
    const params = registration?.params as
      | { Targets: { Id: string; Port: number; AvailabilityZone?: string }[] }
      | undefined;
    const target = params?.Targets[0];
    expect(target?.Id).toBe("i-0a1b2c3d4e5f60011");
    expect(target?.AvailabilityZone).toBeUndefined();
    // Docker's ephemeral range, not the container port or the first mapping's 0; the load balancer judged that port.
    expect(target?.Port).toBeGreaterThanOrEqual(32768);
    expect(s.timeline.events).toContainEqual(
      expect.objectContaining({
        type: "target-health",
        targetId: "i-0a1b2c3d4e5f60011",
        port: target?.Port,
        state: "healthy",
      }),
    );
    expect((await targetsOf(s, EC2_TG)).map((t) => t.state)).toEqual(["healthy"]);
  });
});

describe("cage rollout with update-service", () => {
  it("launches the canary with service.json's settings and sends every updatable field", async () => {
    const s = scenario();
    const context = webContext("v2", {
      desiredCount: 3,
      healthCheckGracePeriodSeconds: 60,
      enableExecuteCommand: true,
    });
    const result = await rollout(rolloutSettings({ context, updateService: true }), s.deps);
    expect(result.result).toBe("succeeded");
    const update = s.sim.journal.calls({ operation: "UpdateService" })[0]?.params;
    expect(update).toMatchObject({
      desiredCount: 3,
      healthCheckGracePeriodSeconds: 60,
      enableExecuteCommand: true,
      networkConfiguration: { awsvpcConfiguration: { securityGroups: [TASK_SG] } },
    });
    expect((await serviceState(s)).desiredCount).toBe(3);
  });
});

describe("cage rollout, EC2 placement of the canary", () => {
  const ec2Service = (b: WorldBuilder) =>
    b
      .cluster({
        name: "production",
        containerInstances: [
          {
            instanceId: "i-0a1b2c3d4e5f60011",
            subnetId: "subnet-0a1b2c3d4e5f60001",
            securityGroups: [TASK_SG],
            cpu: 4096,
            memory: 15360,
          },
        ],
      })
      .service({ ...webServiceSpec(), launchType: "EC2" });

  it("lets ECS place the canary with the service's launch type when no canary instance is given", async () => {
    const s = scenario(undefined, ec2Service);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(s.sim.journal.calls({ operation: "StartTask" })).toEqual([]);
    expect(s.sim.journal.calls({ operation: "RunTask" })[0]?.params).toMatchObject({ launchType: "EC2" });
  });

  it("starts the canary on a container instance given by its ARN", async () => {
    const s = scenario(undefined, ec2Service);
    const listed = await s.deps.aws.ecs.listContainerInstances({ cluster: "production" });
    const arn = listed.containerInstanceArns?.[0] ?? "";
    const result = await rollout(rolloutSettings({ canaryInstanceArn: arn }), s.deps);
    expect(result.result).toBe("succeeded");
    expect(s.sim.journal.calls({ operation: "StartTask" })[0]?.params).toMatchObject({ containerInstances: [arn] });
  });

  it("refuses an EC2 instance that is not in the cluster, before changing anything", async () => {
    const s = scenario(undefined, ec2Service);
    const result = await rollout(rolloutSettings({ canaryInstanceArn: "i-0ffffffffffffffff" }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("is not a container instance of cluster 'production'");
    expect(mutations(s)).toEqual([]);
  });
});
