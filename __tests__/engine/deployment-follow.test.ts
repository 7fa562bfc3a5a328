/**
 * updateAndFollow against the simulator, below preflight (which still refuses native strategies on this branch):
 * the update's service deployment followed by its ARN to its real end, on ROLLING and on BLUE_GREEN.
 */
import { describe, expect, it } from "vitest";
import {
  blueGreen,
  calls,
  deploy,
  deploymentOf,
  listenerScenario,
  PAUSE_HOOK,
  WEB_1,
} from "../fixtures/native-world.js";

describe("updateAndFollow on ROLLING", () => {
  it("follows the update's service deployment by its ARN to SUCCESSFUL", async () => {
    const s = listenerScenario();
    const outcome = await deploy(s);
    expect(outcome.result).toBe("succeeded");
    const listed = await s.deps.aws.ecs.listServiceDeployments({ cluster: "production", service: "web" });
    const newest = [...(listed.serviceDeployments ?? [])].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    )[0];
    expect(outcome.serviceDeploymentArn).toBe(newest?.serviceDeploymentArn);
    expect((await deploymentOf(s.sim, outcome.serviceDeploymentArn))?.status).toBe("SUCCESSFUL");
    const seen = s.timeline.events.filter((e) => e.type === "service-deployment");
    expect(seen.at(-1)).toMatchObject({ status: "SUCCESSFUL", serviceDeploymentArn: outcome.serviceDeploymentArn });
    expect(calls(s, "DescribeServiceDeployments").length).toBeGreaterThan(0);
  });

  it("fails a circuit-breaker rollback, naming the failure count, and leaves ECS's rollback alone", async () => {
    const s = listenerScenario((w) => {
      w.services[0].desiredCount = 4;
      w.images["123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2"] = {
        bootSeconds: 25,
        healthyAfterSeconds: 10,
        exitAfterSeconds: 45,
        exitCode: 2,
      };
    });
    const outcome = await deploy(s, { config: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
    expect(outcome.result).toBe("rolled-back");
    expect(outcome.message).toMatch(
      /^Deployment ecs-svc\/\d+ failed and ECS rolled it back: circuit breaker triggered: \d+ failed tasks \(threshold \d+\)/,
    );
    expect((await deploymentOf(s.sim, outcome.serviceDeploymentArn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(calls(s, "UpdateService")).toHaveLength(1);
    expect(outcome.evidence).toContainEqual(expect.stringContaining('container "app" exited with code 2'));
  });

  it("fails an alarm rollback, naming the alarm", async () => {
    const s = listenerScenario((w) => {
      w.alarms = [{ name: "web-5xx", trigger: { image: "web:v2", afterSeconds: 20 } }, { name: "web-latency" }];
    });
    const alarms = { alarmNames: ["web-latency", "web-5xx"], enable: true, rollback: true };
    const outcome = await deploy(s, { config: { alarms } });
    expect(outcome.result).toBe("rolled-back");
    expect(outcome.message).toMatch(/^Deployment ecs-svc\/\d+ failed and ECS rolled it back: alarm web-5xx triggered/);
    expect(calls(s, "UpdateService")).toHaveLength(1);
  });

  it("fails when another update supersedes it, naming the newer service deployment, and does not roll back over it", async () => {
    const s = listenerScenario();
    let sent = false;
    const sink = s.deps.events;
    s.deps.events = (e) => {
      sink(e);
      if (!sent && e.type === "service-deployment") {
        sent = true;
        void s.deps.aws.ecs.updateService({ cluster: "production", service: "web", forceNewDeployment: true });
      }
    };
    const outcome = await deploy(s);
    expect(outcome.result).toBe("failed");
    const listed = await s.deps.aws.ecs.listServiceDeployments({
      cluster: "production",
      service: "web",
      status: ["IN_PROGRESS", "SUCCESSFUL"],
    });
    const newer = listed.serviceDeployments?.find((d) => d.serviceDeploymentArn !== outcome.serviceDeploymentArn);
    expect(newer?.serviceDeploymentArn).toBeDefined();
    expect(outcome.message).toContain(`superseded by ${newer?.serviceDeploymentArn}`);
    expect(outcome.message).toContain("does not roll back over a newer deployment");
    expect(calls(s, "UpdateService")).toHaveLength(2);
  });
});

describe("updateAndFollow, finding its own service deployment", () => {
  it("follows the update's own deployment when another update lands at once, and fails it as superseded", async () => {
    const s = listenerScenario();
    let sent = false;
    const sink = s.deps.events;
    s.deps.events = (e) => {
      sink(e);
      if (!sent && e.type === "resource" && e.kind === "service-update") {
        sent = true;
        void s.deps.aws.ecs.updateService({ cluster: "production", service: "web", forceNewDeployment: true });
      }
    };
    const outcome = await deploy(s);
    const ours = await deploymentOf(s.sim, outcome.serviceDeploymentArn);
    expect(ours?.targetServiceRevision?.arn).toMatch(new RegExp(`/${outcome.deploymentId?.split("/")[1]}$`));
    expect(outcome.result).toBe("failed");
    expect(outcome.message).toMatch(
      /was replaced before it completed: superseded by arn:aws:ecs:\S+service-deployment/,
    );
  });
});

describe("updateAndFollow on BLUE_GREEN", () => {
  it("wait-until paused returns paused at the PAUSE hook, with its hookId, and leaves it waiting", async () => {
    const s = listenerScenario();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 5, lifecycleHooks: [PAUSE_HOOK] };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen, waitUntil: "paused" });
    expect(outcome.result).toBe("paused");
    const d = await deploymentOf(s.sim, outcome.serviceDeploymentArn);
    const hook = d?.lifecycleHookDetails?.find((h) => h.status === "AWAITING_ACTION");
    expect(hook?.hookId).toBeDefined();
    expect(outcome.hookId).toBe(hook?.hookId);
    expect(outcome.hookExpiresAt).toEqual(hook?.expiresAt);
    expect(outcome.lifecycleStage).toBe(d?.lifecycleStage);
    expect(d?.status).toBe("IN_PROGRESS");
    expect(outcome.message).toContain(`waits at hook ${hook?.hookId} until ${hook?.expiresAt?.toISOString()}`);
    expect(calls(s, "ContinueServiceDeployment")).toHaveLength(0);
  });

  it("wait-until traffic-shifted returns once production is on green, before a long bake ends", async () => {
    const s = listenerScenario();
    const start = s.sim.clock.now();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 120 };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen, waitUntil: "traffic-shifted" });
    expect(outcome.result).toBe("succeeded");
    expect(s.sim.clock.now() - start).toBeLessThan(120 * 60_000);
    const d = await deploymentOf(s.sim, outcome.serviceDeploymentArn);
    expect(d).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "BAKE_TIME" });
    expect(d?.targetServiceRevision?.requestedProductionTrafficWeight).toBe(100);
    const stages = s.timeline.events.flatMap((e) => (e.type === "service-deployment" ? [e.lifecycleStage] : []));
    expect(stages).toContain("BAKE_TIME");
  });

  it("rolls a timed-out native deployment back with StopServiceDeployment, never a second UpdateService", async () => {
    const s = listenerScenario();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 60 };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen, timeouts: { deployment: 10 * 60_000 } });
    expect(outcome.result).toBe("rolled-back");
    expect(outcome.message).toMatch(
      /^Timed out after .* Read back: service deployment \S+ is IN_PROGRESS at BAKE_TIME/,
    );
    expect(calls(s, "UpdateService")).toHaveLength(1);
    expect(calls(s, "StopServiceDeployment")).toHaveLength(1);
    expect((await deploymentOf(s.sim, outcome.serviceDeploymentArn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    const svc = (await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
    expect(svc?.taskDefinition).toBe(WEB_1);
  });

  it("answers a PAUSE hook still waiting at the timeout with ROLLBACK, never a second UpdateService", async () => {
    const s = listenerScenario();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 5, lifecycleHooks: [PAUSE_HOOK] };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen, timeouts: { deployment: 10 * 60_000 } });
    expect(outcome.result).toBe("rolled-back");
    const sent = calls(s, "ContinueServiceDeployment").map((c) => (c.params as { action?: string }).action);
    expect(sent).toEqual(["ROLLBACK"]);
    expect(calls(s, "UpdateService")).toHaveLength(1);
    expect((await deploymentOf(s.sim, outcome.serviceDeploymentArn))?.status).toBe("ROLLBACK_SUCCESSFUL");
  });

  it("looks every 2 s at a deployment ECS is rolling back, so it sees the rollback end within 2 s", async () => {
    const s = listenerScenario((w) => {
      // Fires 60 s after green's first task runs: during the bake, so the rollback drains green (20 s).
      w.alarms = [{ name: "web-5xx", trigger: { image: "web:v2", afterSeconds: 60 } }];
      w.targetGroups[1].deregistrationDelaySeconds = 20;
    });
    const alarms = { alarmNames: ["web-5xx"], enable: true, rollback: true };
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 5, alarms };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen });
    expect(outcome.result).toBe("rolled-back");
    const d = await deploymentOf(s.sim, outcome.serviceDeploymentArn);
    const rollbackStart = d?.rollback?.startedAt?.getTime() ?? 0;
    const finished = d?.finishedAt?.getTime() ?? 0;
    expect(finished - rollbackStart).toBeGreaterThan(20_000);
    const seenRollingBack = s.timeline.events.find(
      (e) => e.type === "service-deployment" && e.status === "ROLLBACK_IN_PROGRESS",
    )?.at;
    const times = calls(s, "DescribeServiceDeployments").map((c) => c.time);
    // From the look that saw the rollback to the one that saw it end.
    const looks = times.slice(times.indexOf(seenRollingBack ?? -1), times.findIndex((t) => t >= finished) + 1);
    expect(looks.length).toBeGreaterThan(5);
    expect(looks.slice(1).map((t, i) => t - looks[i]!)).toEqual(looks.slice(1).map(() => 2_000));
    expect(looks.at(-1)! - finished).toBeLessThanOrEqual(2_000);
  });

  it("with on-deployment-failure leave, a timed-out native deployment is left in flight and said where", async () => {
    const s = listenerScenario();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 60 };
    const outcome = await deploy(s, {
      config,
      loadBalancers: blueGreen,
      timeouts: { deployment: 10 * 60_000 },
      onDeploymentFailure: "leave",
    });
    expect(outcome.result).toBe("failed");
    expect(outcome.message).toMatch(
      /Read back: service deployment \S+ is IN_PROGRESS at BAKE_TIME, 100% of production/,
    );
    expect(outcome.lifecycleStage).toBe("BAKE_TIME");
    expect(calls(s, "StopServiceDeployment")).toHaveLength(0);
    expect((await deploymentOf(s.sim, outcome.serviceDeploymentArn))?.status).toBe("IN_PROGRESS");
  });
});
