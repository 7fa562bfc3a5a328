import { describe, expect, it } from "vitest";
import { rollout } from "../../../src/engine/rollout.js";
import type { SoakSettings } from "../../../src/engine/settings.js";
import { CANARY_UNDONE, mutations, rolloutSettings, type Scenario, scenario, serviceState } from "./world.js";

const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
const soak = (over: Partial<SoakSettings> = {}): SoakSettings => ({
  durationMs: 180_000,
  alarms: ["web-5xx"],
  insufficientData: "ignore",
  ...over,
});

const phaseSpan = (s: Scenario, phase: string) => {
  const started = s.timeline.events.find((e) => e.type === "phase-started" && e.phase === phase);
  const finished = s.timeline.events.find((e) => e.type === "phase-finished" && e.phase === phase);
  return { started, finished };
};

async function expectServiceUntouched(s: Scenario) {
  const state = await serviceState(s);
  expect(state.taskDefinition).toBe(WEB_1);
  expect(state.canaries).toEqual([]);
}

describe("cage rollout with a canary soak judged by CloudWatch alarms", () => {
  it("soak-5xx: the alarm going to ALARM fails the canary within 2 s; it is deregistered and stopped, the service untouched", async () => {
    const s = scenario("soak-5xx");
    const result = await rollout(rolloutSettings({ soak: soak() }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message.split("\n")[0]).toMatch(
      /^Alarm 'web-5xx' went to ALARM during the canary soak: Threshold Crossed: .*greater than the threshold \(10\.0\)/,
    );
    expect(result.serviceChanged).toBe(false);
    expect(mutations(s)).toEqual(CANARY_UNDONE);
    await expectServiceUntouched(s);
    const alarm = (await s.deps.aws.cloudwatch!.describeAlarms({ AlarmNames: ["web-5xx"] })).MetricAlarms?.[0];
    const { finished } = phaseSpan(s, "canary-soak");
    expect(finished).toMatchObject({ outcome: "failed" });
    const lag = (finished?.at ?? 0) - (alarm?.StateUpdatedTimestamp?.getTime() ?? 0);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(2_000);
    expect(
      s.timeline.events.filter((e) => e.type === "alarm-state").map((e) => e.type === "alarm-state" && e.state),
    ).toEqual(["OK", "OK", "ALARM"]);
  });

  it("a prefix ending in * watches the same alarm", async () => {
    const s = scenario("soak-5xx");
    const result = await rollout(rolloutSettings({ soak: soak({ alarms: ["web-*"] }) }), s.deps);
    expect(result.message).toMatch(/^Alarm 'web-5xx' went to ALARM during the canary soak/);
  });

  it("the base world: the canary soaks for the whole duration while registered, then the service is updated", async () => {
    const s = scenario();
    const result = await rollout(rolloutSettings({ soak: soak({ durationMs: 120_000 }) }), s.deps);
    expect(result.result).toBe("succeeded");
    const { started, finished } = phaseSpan(s, "canary-soak");
    expect(finished).toMatchObject({ outcome: "ok" });
    const soaked = (finished?.at ?? 0) - (started?.at ?? 0);
    expect(soaked).toBeGreaterThanOrEqual(120_000);
    expect(soaked).toBeLessThan(122_000);
    const at = (op: string) => s.sim.journal.calls({ operation: op })[0]?.time ?? Number.NaN;
    expect(at("DeregisterTargets")).toBeGreaterThanOrEqual(finished?.at ?? Number.POSITIVE_INFINITY);
    // DescribeAlarms about every 2 s of soak, plus the preflight read.
    const reads = s.sim.journal.calls({ operation: "DescribeAlarms" }).length;
    expect(reads).toBeGreaterThanOrEqual(60);
    expect(reads).toBeLessThanOrEqual(63);
  });

  it("soak-alarm-already: refused in preflight, naming the alarm and its reason; nothing is started", async () => {
    const s = scenario("soak-alarm-already");
    const result = await rollout(rolloutSettings({ soak: soak() }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(
      /^Alarm 'web-5xx' is already in ALARM \(Threshold Crossed: .*\): a canary judged by it would prove nothing/,
    );
    expect(mutations(s)).toEqual([]);
    await expectServiceUntouched(s);
  });

  it("an alarm already in ALARM when the soak begins fails the canary at the first look", async () => {
    const s = scenario();
    const settings = rolloutSettings({ soak: soak() });
    const events: string[] = [];
    const deps = {
      ...s.deps,
      events: (e: Parameters<typeof s.deps.events>[0]) => {
        s.deps.events(e);
        if (e.type === "phase-started" && e.phase === "target-health") events.push("target-health");
        if (e.type === "target-health" && e.state === "healthy" && events.length === 1) {
          events.push("healthy");
          s.world.state.alarms.setState("web-5xx", "ALARM", "set by hand", s.sim.clock.now());
        }
      },
    };
    const result = await rollout(settings, deps);
    expect(result.message).toMatch(/^Alarm 'web-5xx' was already in ALARM when the soak began: set by hand/);
    expect(mutations(s)).toEqual(CANARY_UNDONE);
  });

  it("an alarm that does not exist is an error naming it, before anything is started", async () => {
    const s = scenario();
    const result = await rollout(rolloutSettings({ soak: soak({ alarms: ["web-5xx", "nope", "db-*"] }) }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(/^No CloudWatch alarm 'nope', 'db-\*' in us-east-1/);
    expect(result.message).toContain("--canary-alarms");
    expect(mutations(s)).toEqual([]);
  });

  it.each([
    ["ignore", "succeeded"],
    ["fail", "failed"],
  ] as const)("INSUFFICIENT_DATA with canary-alarms-insufficient %s: %s", async (policy, outcome) => {
    const s = scenario();
    const now = s.sim.clock.now();
    s.world.state.alarms.put(
      {
        name: "web-latency",
        dimensions: [],
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        actionsEnabled: true,
      },
      now,
    );
    const result = await rollout(
      rolloutSettings({ soak: soak({ durationMs: 30_000, alarms: ["web-latency"], insufficientData: policy }) }),
      s.deps,
    );
    expect(result.result).toBe(outcome);
    const warned = s.timeline.events.some(
      (e) => e.type === "notice" && e.message.includes("'web-latency' has INSUFFICIENT_DATA"),
    );
    if (policy === "ignore") expect(warned).toBe(true);
    else
      expect(result.message).toMatch(
        /^Alarm 'web-latency' has INSUFFICIENT_DATA during the canary soak, and --canary-alarms-insufficient is fail/,
      );
  });

  it("no soak (the default): no CloudWatch call, and the phase is shown as skipped", async () => {
    const s = scenario("soak-5xx");
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(s.sim.journal.calls({ operation: "DescribeAlarms" })).toEqual([]);
    expect(phaseSpan(s, "canary-soak").finished).toMatchObject({ outcome: "skipped" });
  });
});
