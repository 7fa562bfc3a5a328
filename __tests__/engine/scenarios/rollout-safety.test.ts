import { describe, expect, it } from "vitest";
import { deploySummary } from "../../../src/action/deploy-report.js";
import { exitCodeOf } from "../../../src/cli/commands/deploy.js";
import { rollout } from "../../../src/engine/rollout.js";
import { DEFAULT_TIMEOUTS } from "../../../src/engine/settings.js";
import { cancelInFlight, cancelWhen, run } from "../../reliability/harness.js";
import {
  CANARY_UNDONE,
  elbv2Error,
  mutations,
  rolloutSettings,
  scenario,
  serviceState,
  targetsOf,
  webContext,
} from "./world.js";

const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";

describe("cage rollout preflight", () => {
  it("refuses a service in the middle of a deployment without changing anything", async () => {
    const s = scenario();
    await s.deps.aws.ecs.updateService({ cluster: "production", service: "web", forceNewDeployment: true });
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("is busy: a deployment is in progress");
    expect(result.message).toContain("--wait-if-busy");
    expect(mutations(s)).toEqual([]);
  });

  it("waits for the deployment in progress with wait-if-busy, then rolls out", async () => {
    const s = scenario();
    await s.deps.aws.ecs.updateService({ cluster: "production", service: "web", forceNewDeployment: true });
    const start = s.sim.clock.now();
    const result = await rollout(rolloutSettings({ waitIfBusy: true }), s.deps);
    expect(result.result).toBe("succeeded");
    const registeredAt = s.sim.journal.calls({ operation: "RegisterTaskDefinition" })[0]?.time ?? start;
    // The forced deployment needs new tasks to start and turn healthy, and the old ones to drain.
    expect(registeredAt - start).toBeGreaterThan(60_000);
    expect(s.timeline.events.some((e) => e.type === "heartbeat" && e.phase === "preflight")).toBe(true);
  });

  it("refuses while another run's canary is live, and says how to remove it", async () => {
    const s = scenario();
    await s.deps.aws.ecs.runTask({
      cluster: "production",
      taskDefinition: "web:1",
      launchType: "FARGATE",
      group: "cage:canary-task:web",
      startedBy: "cage-action/other-run",
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60001"], securityGroups: ["sg-0123456789abcdef0"] },
      },
    });
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("a canary of another run is live");
    expect(result.message).toContain("cage cleanup");
    expect(mutations(s)).toEqual([]);
  });

  it("lets the inputs win over service.json's cluster and service names, and says so", async () => {
    const s = scenario();
    const base = rolloutSettings();
    const context = {
      ...base.context!,
      service: { ...base.context!.service, cluster: "staging", serviceName: "web-old" },
    };
    const result = await rollout({ ...base, context }, s.deps);
    expect(result.result).toBe("succeeded");
    const notices = s.timeline.events.filter((e) => e.type === "notice" && e.level === "warning");
    expect(notices.map((e) => (e.type === "notice" ? e.message : ""))).toEqual([
      "deploy/service.json names cluster 'staging' but the input says 'production'; using 'production'.",
      "deploy/service.json names service 'web-old' but the input says 'web'; using 'web'.",
    ]);
  });

  it("refuses a service that does not exist, pointing at `cage up`", async () => {
    const s = scenario();
    const result = await rollout(rolloutSettings({ service: "api" }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("Service 'api' does not exist in cluster 'production'");
    expect(result.message).toContain("cage up");
    expect(mutations(s)).toEqual([]);
  });
});

describe("cage rollout cancellation", () => {
  it("deregisters and stops the canary when canceled while the target is being checked", async () => {
    const s = scenario();
    cancelWhen(s, (e) => e.type === "target-health" && e.state === "initial");
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("canceled");
    expect(result.serviceChanged).toBe(false);
    expect(result.message).toContain("was deregistered and stopped");
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(WEB_1);
    expect(state.canaries).toEqual([]);
    expect((await targetsOf(s)).filter((t) => t.state !== "healthy" && t.state !== "draining")).toEqual([]);
    expect(mutations(s)).toEqual(CANARY_UNDONE);
  });

  it("requests deregistration and StopTask at once when canceled, before waiting for anything", async () => {
    const s = scenario();
    let canceledAt = 0;
    cancelWhen(s, (e) => {
      const hit = e.type === "target-health" && e.state === "initial";
      if (hit) canceledAt = e.at;
      return hit;
    });
    await rollout(rolloutSettings(), s.deps);
    const stopAt = s.sim.journal.calls({ operation: "StopTask" })[0]?.time ?? Number.NaN;
    expect(stopAt - canceledAt).toBeLessThan(1_000);
  });

  it("says the deployment goes on when canceled after the service was updated", async () => {
    const s = scenario();
    cancelWhen(s, (e) => e.type === "service-deployment");
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("canceled");
    expect(result.serviceChanged).toBe(true);
    expect(result.message).toContain("ECS goes on with deployment");
    expect((await serviceState(s)).canaries).toEqual([]);
  });

  it("reads the service back when canceled with UpdateService unanswered, and names the deployment it finds", async () => {
    const s = run();
    cancelInFlight(s, "UpdateService", { lost: true });
    const result = await rollout(rolloutSettings(), s.deps);
    const state = await serviceState(s);
    const created = state.deployments.find((d) => d.status === "PRIMARY");
    expect(state.taskDefinition).toMatch(/task-definition\/web:2$/);
    expect(result).toMatchObject({ result: "canceled", serviceChanged: true, deploymentId: created?.id });
    expect(result.message).toContain(
      `Read back: the service was changed; it is on web:2 with deployment ${created?.id}`,
    );
    expect(result.message).not.toContain("was not changed");
  });

  it("says the change is unknown, and what to check, when the service cannot be read back", async () => {
    const s = run();
    cancelInFlight(s, "UpdateService", { latencyMs: 20_000 });
    // Once the cancel comes, DescribeServices is denied: the read-back fails.
    s.deps.signal?.addEventListener("abort", () =>
      s.sim.faults.add([{ operation: "DescribeServices", effect: "error", code: "AccessDeniedException" }]),
    );
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result).toMatchObject({
      result: "canceled",
      serviceChanged: "unknown",
      unsettled: [{ operation: "ecs:UpdateService" }],
    });
    expect(result.message).toContain("Whether the service was changed is not known: reading the service back failed");
    expect(result.message).toContain("aws ecs describe-services --cluster production --services web");
    const verdict = s.timeline.events.find((e) => e.type === "verdict");
    expect(verdict).toMatchObject({ serviceChanged: "unknown" });
    const summary = deploySummary({
      command: "rollout",
      target: { region: "us-east-1", cluster: "production", service: "web" },
      context: webContext("v2"),
      events: s.timeline.events,
      result,
    });
    expect(summary).toContain("Whether the service was changed is not known");
    expect(summary).not.toMatch(/service was (not )?changed\./);
    expect(exitCodeOf(result)).toBe(130);
  });
});

describe("cage rollout timeouts and faults", () => {
  it("names the phase and what it last saw when the canary takes too long to start, and stops it", async () => {
    const s = scenario("slow-boot");
    const result = await rollout(rolloutSettings({ timeouts: { ...DEFAULT_TIMEOUTS, taskRunning: 120_000 } }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(
      /^Timed out after 2m00s waiting for the canary task to reach RUNNING \(phase canary-running\); last seen: \w+\. Raise --task-running-timeout/,
    );
    expect((await serviceState(s)).canaries).toEqual([]);
  });

  it("rides out throttling while polling", async () => {
    const s = scenario();
    s.sim.faults.add([
      { service: "ecs", operation: "DescribeTasks", effect: "throttle", count: 4 },
      { service: "elbv2", operation: "DescribeTargetHealth", effect: "serverError", count: 2 },
    ]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
  });

  it("never starts a second canary when RunTask is retried", async () => {
    const s = scenario();
    s.sim.faults.add([{ service: "ecs", operation: "RunTask", effect: "unavailable", count: 1 }]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    const runs = s.sim.journal.calls({ operation: "RunTask" });
    expect(runs).toHaveLength(2);
    const tokens = runs.map((c) => (c.params as { clientToken?: string } | undefined)?.clientToken);
    expect(new Set(tokens).size).toBe(1);
    const canaries = await s.deps.aws.ecs.listTasks({
      cluster: "production",
      startedBy: "cage-action/run-1",
      desiredStatus: "STOPPED",
    });
    expect(canaries.taskArns).toHaveLength(1);
  });

  it("says so when cleanup fails after a successful deployment, instead of swallowing it", async () => {
    const s = scenario();
    s.sim.faults.add([{ service: "ecs", operation: "StopTask", effect: "serverError" }]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect((await serviceState(s)).taskDefinition).toBe(result.taskDefinitionArn);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("rolled out to web:2");
    expect(result.message).toContain("But cleaning up the canary failed");
    expect(result.message).toContain("cage cleanup");
  });

  it("names the missing IAM action when AWS denies a call", async () => {
    const s = scenario();
    s.sim.faults.add([elbv2Error("RegisterTargets", "AccessDenied", 403, "not authorized")]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("Allow 'elasticloadbalancing:RegisterTargets'");
    expect((await serviceState(s)).canaries).toEqual([]);
  });
});

describe("two rollouts of one service at once", () => {
  it("lets exactly one proceed; the other stands back with a clear message and leaves nothing behind", async () => {
    const s = scenario();
    const [a, b] = await Promise.all([
      rollout(rolloutSettings({ runId: "run-a" }), s.deps),
      rollout(rolloutSettings({ runId: "run-b" }), s.deps),
    ]);
    const results = [a, b].map((r) => r.result).sort();
    expect(results).toEqual(["failed", "succeeded"]);
    const loser = a.result === "failed" ? a : b;
    const winner = a.result === "failed" ? b : a;
    expect(loser.message).toContain("stands back");
    expect(loser.serviceChanged).toBe(false);
    expect(s.sim.journal.calls({ operation: "UpdateService" })).toHaveLength(1);
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(winner.taskDefinitionArn);
    expect(state.canaries).toEqual([]);
  });
});
