/**
 * updateAndFollow against the simulator, below preflight (which still refuses native strategies on this branch):
 * the update's service deployment followed by its ARN to its real end, on ROLLING and on BLUE_GREEN.
 */
import type { DeploymentConfiguration, LoadBalancer } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { updateAndFollow } from "../../src/engine/deployment.js";
import { Timeline } from "../../src/engine/events.js";
import { openSession } from "../../src/engine/session.js";
import { DEFAULT_TIMEOUTS, type Timeouts } from "../../src/engine/settings.js";
import { CLI_NAMING } from "../../src/inputs/naming.js";
import { createSimulator, type WorldLike } from "../../src/sim/simulator.js";
import { WorldBuilder } from "../../src/sim/world/index.js";
import {
  BLUE_TG,
  GREEN_TG,
  listenerWorldJson,
  PROD_RULE,
  TEST_RULE,
  withWebV2,
} from "../sim/conformance/listener-world.js";

const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
const WEB_2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2";
const target = { region: "us-east-1", cluster: "production", service: "web" };
const blueGreen: LoadBalancer[] = [
  {
    targetGroupArn: BLUE_TG,
    containerName: "app",
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: GREEN_TG,
      productionListenerRule: PROD_RULE,
      testListenerRule: TEST_RULE,
      roleArn: "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
    },
  },
];
const pauseHook = {
  targetType: "PAUSE" as const,
  lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT" as const],
  timeoutConfiguration: { timeoutInMinutes: 30, action: "ROLLBACK" as const },
};

function world(change: (w: any) => void = () => {}) {
  const json = listenerWorldJson((w) => {
    withWebV2(w);
    change(w);
  });
  const sim = createSimulator({ world: (clock) => WorldBuilder.from(json).build(clock) as unknown as WorldLike });
  const timeline = new Timeline();
  const deps = { aws: sim.ports("us-east-1"), clock: sim.clock, events: timeline.sink, naming: CLI_NAMING };
  return { sim, timeline, deps };
}
type World = ReturnType<typeof world>;

interface Deploy {
  config?: DeploymentConfiguration;
  loadBalancers?: LoadBalancer[];
  waitUntil?: "deployed" | "traffic-shifted" | "paused";
  timeouts?: Partial<Timeouts>;
  onDeploymentFailure?: "rollback" | "leave";
}

async function deploy(s: World, d: Deploy = {}) {
  const session = openSession(s.deps, DEFAULT_TIMEOUTS.overall);
  const previous = (await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
  const input = {
    cluster: "production",
    service: "web",
    taskDefinition: WEB_2,
    ...(d.config ? { deploymentConfiguration: d.config } : {}),
    ...(d.loadBalancers ? { loadBalancers: d.loadBalancers } : {}),
  };
  return updateAndFollow(session, {
    target,
    taskDefinitionArn: WEB_2,
    plan: { input, fields: [], notices: [] },
    previous: previous ?? {},
    timeouts: { ...DEFAULT_TIMEOUTS, ...d.timeouts },
    onDeploymentFailure: d.onDeploymentFailure ?? "rollback",
    ...(d.waitUntil ? { waitUntil: d.waitUntil } : {}),
  });
}

async function serviceDeployment(s: World, arn: string | undefined) {
  const out = await s.deps.aws.ecs.describeServiceDeployments({ serviceDeploymentArns: [arn ?? "none"] });
  return out.serviceDeployments?.[0];
}

const calls = (s: World, operation: string) => s.sim.journal.calls({ operation });

describe("updateAndFollow on ROLLING", () => {
  it("follows the update's service deployment by its ARN to SUCCESSFUL", async () => {
    const s = world();
    const outcome = await deploy(s);
    expect(outcome.result).toBe("succeeded");
    const listed = await s.deps.aws.ecs.listServiceDeployments({ cluster: "production", service: "web" });
    const newest = [...(listed.serviceDeployments ?? [])].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    )[0];
    expect(outcome.serviceDeploymentArn).toBe(newest?.serviceDeploymentArn);
    expect((await serviceDeployment(s, outcome.serviceDeploymentArn))?.status).toBe("SUCCESSFUL");
    const seen = s.timeline.events.filter((e) => e.type === "service-deployment");
    expect(seen.at(-1)).toMatchObject({ status: "SUCCESSFUL", serviceDeploymentArn: outcome.serviceDeploymentArn });
    expect(calls(s, "DescribeServiceDeployments").length).toBeGreaterThan(0);
  });

  it("fails a circuit-breaker rollback, naming the failure count, and leaves ECS's rollback alone", async () => {
    const s = world((w) => {
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
    expect((await serviceDeployment(s, outcome.serviceDeploymentArn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(calls(s, "UpdateService")).toHaveLength(1);
    expect(outcome.evidence).toContainEqual(expect.stringContaining('container "app" exited with code 2'));
  });

  it("fails an alarm rollback, naming the alarm", async () => {
    const s = world((w) => {
      w.alarms = [{ name: "web-5xx", trigger: { image: "web:v2", afterSeconds: 20 } }, { name: "web-latency" }];
    });
    const alarms = { alarmNames: ["web-latency", "web-5xx"], enable: true, rollback: true };
    const outcome = await deploy(s, { config: { alarms } });
    expect(outcome.result).toBe("rolled-back");
    expect(outcome.message).toMatch(/^Deployment ecs-svc\/\d+ failed and ECS rolled it back: alarm web-5xx triggered/);
    expect(calls(s, "UpdateService")).toHaveLength(1);
  });

  it("fails when another update supersedes it, naming the newer service deployment, and does not roll back over it", async () => {
    const s = world();
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

describe("updateAndFollow on BLUE_GREEN", () => {
  it("wait-until paused returns paused at the PAUSE hook, with its hookId, and leaves it waiting", async () => {
    const s = world();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 5, lifecycleHooks: [pauseHook] };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen, waitUntil: "paused" });
    expect(outcome.result).toBe("paused");
    const d = await serviceDeployment(s, outcome.serviceDeploymentArn);
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
    const s = world();
    const start = s.sim.clock.now();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 120 };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen, waitUntil: "traffic-shifted" });
    expect(outcome.result).toBe("succeeded");
    expect(s.sim.clock.now() - start).toBeLessThan(120 * 60_000);
    const d = await serviceDeployment(s, outcome.serviceDeploymentArn);
    expect(d).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "BAKE_TIME" });
    expect(d?.targetServiceRevision?.requestedProductionTrafficWeight).toBe(100);
    const stages = s.timeline.events.flatMap((e) => (e.type === "service-deployment" ? [e.lifecycleStage] : []));
    expect(stages).toContain("BAKE_TIME");
  });

  it("rolls a timed-out native deployment back with StopServiceDeployment, never a second UpdateService", async () => {
    const s = world();
    const config = { strategy: "BLUE_GREEN" as const, bakeTimeInMinutes: 60 };
    const outcome = await deploy(s, { config, loadBalancers: blueGreen, timeouts: { deployment: 10 * 60_000 } });
    expect(outcome.result).toBe("rolled-back");
    expect(outcome.message).toMatch(
      /^Timed out after .* Read back: service deployment \S+ is IN_PROGRESS at BAKE_TIME/,
    );
    expect(calls(s, "UpdateService")).toHaveLength(1);
    expect(calls(s, "StopServiceDeployment")).toHaveLength(1);
    expect((await serviceDeployment(s, outcome.serviceDeploymentArn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    const svc = (await s.deps.aws.ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
    expect(svc?.taskDefinition).toBe(WEB_1);
  });
});
