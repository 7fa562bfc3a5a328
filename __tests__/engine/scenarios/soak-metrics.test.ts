import { describe, expect, it } from "vitest";
import { parseCondition } from "../../../src/engine/metric-condition.js";
import { rollout } from "../../../src/engine/rollout.js";
import { errorRateCheck, metricSoak } from "./metric-checks.js";
import {
  CANARY_UNDONE,
  mutations,
  REPO,
  rolloutSettings,
  type Scenario,
  scenario,
  serviceState,
  targetsOf,
} from "./world.js";

const WEB_1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";

const evaluations = (s: Scenario) => s.timeline.events.flatMap((e) => (e.type === "metric-evaluation" ? [e] : []));

/** web:v2's own error rate at `value` while it serves in web-tg. */
const errorRate = (value: number) => (b: Parameters<NonNullable<Parameters<typeof scenario>[1]>>[0]) =>
  b.image(`${REPO}:v2`, {
    metrics: [
      {
        namespace: "web",
        metricName: "ErrorRate",
        dimensions: { Service: "web", Version: "v2" },
        value,
        targetGroup: "web-tg",
      },
    ],
  });

describe("cage rollout with canary-metrics checks during the soak", () => {
  it("soak-metric: the health check passes, the error rate check fails the canary; deregistered, stopped, service untouched", async () => {
    const s = scenario("soak-metric");
    const result = await rollout(rolloutSettings({ soak: metricSoak() }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(
      /^Metric check 'error rate' failed during the canary soak: 0\.05 > 0\.01 \(2 of 2\)\. The canary was judged by it/,
    );
    expect(result.serviceChanged).toBe(false);
    expect(mutations(s)).toEqual(CANARY_UNDONE);
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(WEB_1);
    expect(state.canaries).toEqual([]);
    // The canary's own target is gone: the service's two tasks remain, healthy.
    const canary = (await s.deps.aws.ecs.describeTasks({ cluster: "production", tasks: [result.canaryTaskArn ?? ""] }))
      .tasks?.[0];
    const ip = canary?.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value;
    expect(ip).toBeTruthy();
    const targets = await targetsOf(s);
    expect(targets.filter((t) => t.id === ip && t.state !== "draining")).toEqual([]);
    expect(targets.filter((t) => t.state === "healthy").length).toBe(2);
    expect(evaluations(s).map((e) => [e.comparison, e.outcome, e.failures])).toEqual([
      ["0.05 > 0.01", "failed", 1],
      ["0.05 > 0.01", "failed", 2],
    ]);
    const soak = s.timeline.events.find((e) => e.type === "phase-started" && e.phase === "canary-soak");
    const [first, second] = evaluations(s);
    expect((first?.at ?? 0) - (soak?.at ?? 0)).toBe(60_000);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBe(60_000);
  });

  it("a low error rate passes: one measurement a minute, then the service is updated", async () => {
    const s = scenario(undefined, errorRate(0.002));
    const result = await rollout(rolloutSettings({ soak: metricSoak() }), s.deps);
    expect(result.result).toBe("succeeded");
    expect(evaluations(s).map((e) => [e.comparison, e.outcome])).toEqual([
      ["not 0.002 > 0.01", "successful"],
      ["not 0.002 > 0.01", "successful"],
      ["not 0.002 > 0.01", "successful"],
    ]);
    // Once in preflight, to have CloudWatch check the queries, then every minute of the 3m soak.
    expect(s.sim.journal.calls({ operation: "GetMetricData" }).length).toBe(4);
    expect((await serviceState(s)).taskDefinition).not.toBe(WEB_1);
  });

  it("failure-limit 2 tolerates two failures: the third, at the end of the 3m soak, fails the canary", async () => {
    const s = scenario("soak-metric");
    const result = await rollout(
      rolloutSettings({ soak: metricSoak({ metrics: [errorRateCheck({ failureLimit: 2 })] }) }),
      s.deps,
    );
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(
      /^Metric check 'error rate' failed during the canary soak: 0\.05 > 0\.01 \(3 of 3\)/,
    );
  });

  it("with a success condition not met but no failure condition, each measurement is a failure", async () => {
    const s = scenario(undefined, errorRate(0.02));
    const check = errorRateCheck({
      failureCondition: undefined,
      successCondition: parseCondition("result <= 0.01") as never,
    });
    const { failureCondition: _, ...only } = check;
    const result = await rollout(
      rolloutSettings({ soak: metricSoak({ metrics: [{ ...only, failureLimit: 0 }] }) }),
      s.deps,
    );
    expect(result.message).toMatch(
      /^Metric check 'error rate' failed during the canary soak: not 0\.02 <= 0\.01 \(1 of 1\)/,
    );
    expect(mutations(s)).toEqual(CANARY_UNDONE);
  });

  it("metric math: errors / requests of web:v2's own metrics, 2 of 40 requests failing, fails the canary", async () => {
    const s = scenario(undefined, (b) =>
      b.image(`${REPO}:v2`, {
        metrics: [
          { namespace: "web", metricName: "Errors", dimensions: { Version: "v2" }, value: 2, targetGroup: "web-tg" },
          { namespace: "web", metricName: "Requests", dimensions: { Version: "v2" }, value: 40, targetGroup: "web-tg" },
        ],
      }),
    );
    const stat = (MetricName: string) => ({
      Metric: { Namespace: "web", MetricName, Dimensions: [{ Name: "Version", Value: "v2" }] },
      Period: 60,
      Stat: "Sum",
    });
    const rate = errorRateCheck({
      queries: [
        { Id: "rate", Expression: "errors / requests" },
        { Id: "errors", MetricStat: stat("Errors"), ReturnData: false },
        { Id: "requests", MetricStat: stat("Requests"), ReturnData: false },
      ],
    });
    const result = await rollout(rolloutSettings({ soak: metricSoak({ metrics: [rate] }) }), s.deps);
    expect(result.message).toMatch(
      /^Metric check 'error rate' failed during the canary soak: 0\.05 > 0\.01 \(2 of 2\)/,
    );
    expect(mutations(s)).toEqual(CANARY_UNDONE);
  });

  it("no data is inconclusive: reported each time and at the end, and the canary is not failed by it", async () => {
    const s = scenario();
    const result = await rollout(rolloutSettings({ soak: metricSoak() }), s.deps);
    expect(result.result).toBe("succeeded");
    expect(evaluations(s).map((e) => [e.comparison, e.outcome])).toEqual([
      ["no data", "inconclusive"],
      ["no data", "inconclusive"],
      ["no data", "inconclusive"],
    ]);
    const warned = s.timeline.events.some(
      (e) => e.type === "notice" && e.message.startsWith("Metric check 'error rate' could not judge the canary"),
    );
    expect(warned).toBe(true);
  });

  it("a query CloudWatch refuses fails in preflight, before anything is started", async () => {
    const s = scenario();
    const bad = errorRateCheck({
      queries: [
        {
          Id: "errors",
          MetricStat: { Metric: { Namespace: "web", MetricName: "ErrorRate" }, Period: 60, Stat: "Median" },
        },
      ],
    });
    const result = await rollout(rolloutSettings({ soak: metricSoak({ metrics: [bad] }) }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(/cloudwatch:GetMetricData/);
    expect(mutations(s)).toEqual([]);
  });
});
