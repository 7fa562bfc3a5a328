import { describe, expect, it } from "vitest";
import { rollout } from "../../../src/engine/rollout.js";
import type { WorldBuilder } from "../../../src/sim/world/index.js";
import { statusAt } from "../../../src/sim/world/lifecycle.js";
import { mutations, REPO, rolloutSettings, scenario, serviceState, targetsOf, webServiceSpec } from "./world.js";

const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";

describe("cage rollout, Fargate behind an ALB", () => {
  it("rolls the service out to the new revision after the canary passes, and leaves no canary behind", async () => {
    const s = scenario();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(result.message).toContain("rolled out to web:2");
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(result.taskDefinitionArn);
    expect(state.canaries).toEqual([]);
    expect(state.running.map((t) => t.taskDefinitionArn)).toEqual([result.taskDefinitionArn, result.taskDefinitionArn]);
    expect(mutations(s)).toEqual([
      "RegisterTaskDefinition",
      "RunTask",
      "RegisterTargets",
      "DeregisterTargets",
      "UpdateService",
      "StopTask",
    ]);
    expect((await targetsOf(s)).map((t) => t.state)).toEqual(["healthy", "healthy"]);
  });

  it("takes the canary out of the target group before updating the service, and stops it once drained", async () => {
    const s = scenario();
    const start = s.sim.clock.now();
    await rollout(rolloutSettings(), s.deps);
    const at = (op: string) => (s.sim.journal.calls({ operation: op })[0]?.time ?? Number.NaN) - start;
    expect(at("DeregisterTargets")).toBeLessThanOrEqual(at("UpdateService"));
    // The demo target group drains for 30 s; the canary is stopped right then, while the deployment goes on.
    expect(at("StopTask") - at("DeregisterTargets")).toBeGreaterThanOrEqual(30_000);
    expect(at("StopTask") - at("DeregisterTargets")).toBeLessThan(33_000);
    const finished = s.timeline.events.find((e) => e.type === "verdict")?.at ?? 0;
    expect(at("StopTask")).toBeLessThan(finished - start);
  });

  it("starts exactly one canary, launched like the service and named for the tool and the run", async () => {
    const s = scenario();
    await rollout(rolloutSettings({ runId: "gh-77-1" }), s.deps);
    const runs = s.sim.journal.calls({ operation: "RunTask" });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.params).toMatchObject({
      cluster: "production",
      count: 1,
      group: "cage:canary-task:web",
      startedBy: "cage-action/gh-77-1",
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { securityGroups: ["sg-0123456789abcdef0"] } },
    });
    const params = runs[0]?.params as { clientToken?: string } | undefined;
    expect(params?.clientToken).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("cage rollout, when the canary fails", () => {
  it("leaves the service untouched when the canary's essential container exits", async () => {
    const s = scenario("crash");
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.serviceChanged).toBe(false);
    expect(result.message).toMatch(/EssentialContainerExited/);
    expect(result.message).toContain('container "app" exited with code 1');
    expect(result.message).toContain("The service was not changed.");
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(WEB_1);
    expect(state.desiredCount).toBe(2);
    expect(state.canaries).toEqual([]);
    expect(mutations(s)).not.toContain("UpdateService");
  });

  it("fails fast when a canary container turns UNHEALTHY instead of waiting out the health check timeout", async () => {
    const s = scenario("container-unhealthy");
    const start = s.sim.clock.now();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain('"app" became UNHEALTHY');
    const failedAt = s.timeline.events.find((e) => e.type === "phase-finished" && e.outcome === "failed")?.at ?? 0;
    expect(failedAt - start).toBeLessThan(2 * 60_000);
    expect((await serviceState(s)).taskDefinition).toBe(WEB_1);
  });

  it("reports the target group's reason when the canary answers the health check with HTTP 500", async () => {
    const s = scenario("target-unhealthy");
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain(
      "is 'unhealthy' (Target.ResponseCodeMismatch: Health checks failed with these codes: [500])",
    );
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(WEB_1);
    expect(state.canaries).toEqual([]);
    const canaryTargets = (await targetsOf(s)).filter((t) => t.state !== "healthy");
    expect(canaryTargets.map((t) => t.state)).toEqual([expect.stringMatching(/^(draining|unused)$/)]);
  });

  it("reports a canary that never answers the health check as Target.Timeout", async () => {
    const s = scenario("target-timeout");
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("Target.Timeout");
    expect(mutations(s)).not.toContain("UpdateService");
  });

  it.each([
    ["an image that cannot be pulled", "pull-error", "CannotPullContainerError"],
    ["a secret the task cannot read", "secret-error", "ResourceInitializationError"],
    ["a subnet with no free address", "no-free-ips", "InsufficientFreeAddressesInSubnet"],
  ])("reports %s with the ECS stop reason and leaves the service untouched", async (_, variant, reason) => {
    const s = scenario(variant);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain(reason);
    expect(result.message).toContain(`The canary ${result.canaryTaskArn} was stopped.`);
    expect((await serviceState(s)).canaries).toEqual([]);
    expect(mutations(s)).toEqual(["RegisterTaskDefinition", "RunTask", "StopTask"]);
  });

  it("catches a security group in service.json that keeps the load balancer out, before the service is touched", async () => {
    const s = scenario("security-group-blocks");
    const result = await rollout(rolloutSettings({ updateService: true }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("Target.Timeout");
    expect(result.message).toContain("security groups let the load balancer reach it");
    expect(mutations(s)).not.toContain("UpdateService");
  });

  it("reports a placement failure as a clear canary failure, never as a success or a crash", async () => {
    const s = scenario("placement-memory");
    const result = await rollout(
      rolloutSettings({
        updateService: true,
        context: {
          ...rolloutSettings().context!,
          service: { ...rolloutSettings().context!.service, launchType: "EC2" },
        },
      }),
      s.deps,
    );
    expect(result.result).toBe("failed");
    expect(result.message).toContain("RESOURCE:MEMORY");
    expect(result.message).toContain("add capacity");
    expect(result.serviceChanged).toBe(false);
    expect(mutations(s)).toEqual(["RegisterTaskDefinition", "RunTask"]);
  });
});

describe("cage rollout, when the deployment fails", () => {
  /** The new app passes a canary, then exits 45 s after it starts: four tasks at once trip the circuit breaker. */
  const crashesAfterAMinute =
    (circuitBreaker = { enable: true, rollback: true }) =>
    (b: WorldBuilder) =>
      b
        .service({ ...webServiceSpec(), desiredCount: 4, circuitBreaker })
        .image(`${REPO}:v2`, { bootSeconds: 25, healthyAfterSeconds: 10, exitAfterSeconds: 45, exitCode: 2 });

  it("reports a circuit-breaker rollback as a failure even though the service ends stable", async () => {
    const s = scenario(undefined, crashesAfterAMinute());
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("rolled-back");
    expect(result.message).toContain("circuit breaker");
    expect(result.serviceChanged).toBe(true);
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(WEB_1);
    expect(state.canaries).toEqual([]);
  });
});

describe("cage rollout, when the deployment fails and ECS does not roll back", () => {
  const failsWithoutRollback = (b: WorldBuilder) =>
    b
      .service({ ...webServiceSpec(), desiredCount: 4, circuitBreaker: { enable: true, rollback: false } })
      .image(`${REPO}:v2`, { bootSeconds: 25, healthyAfterSeconds: 10, exitAfterSeconds: 45, exitCode: 2 });

  it("rolls back to the previous task definition itself and waits for that", async () => {
    const s = scenario(undefined, failsWithoutRollback);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("rolled-back");
    expect(result.message).toContain("Rolled the service back to web:1");
    const updates = s.sim.journal
      .calls({ operation: "UpdateService" })
      .map((c) => (c.params as { taskDefinition?: string }).taskDefinition);
    expect(updates).toEqual([result.taskDefinitionArn, WEB_1]);
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(WEB_1);
    expect(state.deployments.map((d) => d.rolloutState)).toEqual(["COMPLETED"]);
  });

  it("leaves the failed deployment alone with on-deployment-failure: leave", async () => {
    const s = scenario(undefined, failsWithoutRollback);
    const result = await rollout(rolloutSettings({ onDeploymentFailure: "leave" }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("on-deployment-failure: leave");
    expect(result.evidence).toContainEqual(expect.stringContaining('container "app" exited with code 2'));
    expect(s.sim.journal.calls({ operation: "UpdateService" })).toHaveLength(1);
    expect((await serviceState(s)).taskDefinition).toBe(result.taskDefinitionArn);
  });
});

describe("cage rollout, when the deployment takes too long", () => {
  it("treats a deployment timeout as a failure, names the phase, and starts a rollback", async () => {
    const s = scenario();
    const timeouts = { ...rolloutSettings().timeouts, deployment: 20_000 };
    const result = await rollout(rolloutSettings({ timeouts }), s.deps);
    // The rollback gets the same 20 s, which is not enough either: both are reported, nothing is hidden.
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(
      /^Timed out after 2\ds waiting for deployment ecs-svc\/\d+ to complete \(phase deployment\); last seen: IN_PROGRESS/,
    );
    expect(result.message).toMatch(
      /The rollback to web:1 was started \(deployment ecs-svc\/\d+\) but not seen to complete/,
    );
    const updates = s.sim.journal.calls({ operation: "UpdateService" });
    expect(updates.map((c) => (c.params as { taskDefinition?: string }).taskDefinition)).toEqual([
      result.taskDefinitionArn,
      WEB_1,
    ]);
  });

  it("still rolls back when the overall timeout is what ran out", async () => {
    const s = scenario();
    const timeouts = { ...rolloutSettings().timeouts, overall: 90_000 };
    const result = await rollout(rolloutSettings({ timeouts }), s.deps);
    expect(result.result).toBe("rolled-back");
    expect(result.message).toContain("The overall timeout (1m30s) ran out");
    expect((await serviceState(s)).taskDefinition).toBe(WEB_1);
    expect((await serviceState(s)).canaries).toEqual([]);
  });
});

describe("cage rollout, how soon it notices", () => {
  it("reports each canary task status change within 2 s of simulated time on average", async () => {
    const s = scenario();
    const start = s.sim.clock.now();
    const result = await rollout(rolloutSettings(), s.deps);
    const task = [...s.world.state.tasks.values()].find((t) => t.arn === result.canaryTaskArn);
    if (!task) throw new Error("the canary is not in the world");
    // When the world changed the canary's status, read back from its lifecycle at 100 ms steps.
    const changes: { status: string; at: number }[] = [];
    let last = "";
    for (let t = start; t < start + 120_000; t += 100) {
      const status = statusAt(task, t);
      if (status !== last) changes.push({ status, at: t });
      last = status;
    }
    const seen = s.timeline.events.filter((e) => e.type === "task-status" && e.taskArn === result.canaryTaskArn);
    const lags = changes
      .filter((c) => c.status === "PENDING" || c.status === "RUNNING")
      .map((c) => {
        const event = seen.find((e) => e.type === "task-status" && e.lastStatus === c.status);
        return (event?.at ?? Number.POSITIVE_INFINITY) - c.at;
      });
    expect(lags).toHaveLength(2);
    expect(lags.reduce((a, b) => a + b, 0) / lags.length).toBeLessThanOrEqual(2_000);
  });
});
