/**
 * Issue 17: the canary soak on virtual time. It adds its duration and nothing more (engine ≤ 1.05 × the physical
 * minimum plus the soak), the lag from an alarm's state change (or a failing metric measurement) to the failed
 * phase, and the CloudWatch calls per minute of soak. Deterministic.
 */
import { it } from "vitest";
import { errorRateCheck } from "../__tests__/engine/scenarios/metric-checks.js";
import { demoJson, REPO, rolloutSettings } from "../__tests__/engine/scenarios/world.js";
import { Timeline } from "../src/engine/events.js";
import { rollout } from "../src/engine/rollout.js";
import type { RolloutSettings, SoakSettings } from "../src/engine/settings.js";
import { CLI_NAMING } from "../src/inputs/naming.js";
import type { WorldBuilder } from "../src/sim/world/index.js";
import type { AlarmSpec } from "../src/sim/world/spec.js";
import { ratio, seconds, verdict, writeResult } from "./results.js";
import { measureSchedule } from "./rollouts.js";
import { IDEAL } from "./schedule.js";
import { simulatorFor } from "./worlds.js";

const SOAK_MS = 300_000;
const CLOUDWATCH = ["DescribeAlarms", "GetMetricData"];

interface SoakCase {
  name: string;
  about: string;
  variant?: string;
  change?: (b: WorldBuilder) => WorldBuilder;
  soak: SoakSettings;
}

const lowErrorRate = (b: WorldBuilder) =>
  b.image(`${REPO}:v2`, {
    metrics: [
      {
        namespace: "web",
        metricName: "ErrorRate",
        dimensions: { Service: "web", Version: "v2" },
        value: 0.002,
        targetGroup: "web-tg",
      },
    ],
  });

const alarmsOnly: SoakSettings = { durationMs: SOAK_MS, alarms: ["web-5xx"], insufficientData: "ignore" };
const withMetric: SoakSettings = { ...alarmsOnly, metrics: [errorRateCheck()] };

const PASSING: SoakCase[] = [
  { name: "alarm", about: "the demo, 5m soak watching web-5xx", soak: alarmsOnly },
  {
    name: "alarm-and-metric",
    about: "the same plus the error-rate check (1m interval), at 0.2%",
    change: lowErrorRate,
    soak: withMetric,
  },
];
const web5xx = (demoJson() as { alarms: AlarmSpec[] }).alarms[0] as AlarmSpec;
/** web-5xx over three 50 s periods: the state changes at another moment of the engine's 2 s reads. */
const slowerAlarm = (b: WorldBuilder) => b.merge({ alarms: [{ ...web5xx, period: 50, evaluationPeriods: 3 }] });

const FAILING: SoakCase[] = [
  { name: "soak-5xx", about: "web-5xx goes to ALARM a minute into the soak", variant: "soak-5xx", soak: alarmsOnly },
  {
    name: "soak-5xx, 3 × 50 s",
    about: "web-5xx over three 50 s periods goes to ALARM 150 s in",
    variant: "soak-5xx",
    change: slowerAlarm,
    soak: alarmsOnly,
  },
  {
    name: "soak-metric",
    about: "the error-rate check fails twice (failure-limit 1)",
    variant: "soak-metric",
    soak: withMetric,
  },
];

const settingsOf = (c: SoakCase): RolloutSettings => rolloutSettings({ runId: "bench", soak: c.soak });

async function engine(c: SoakCase) {
  const sim = simulatorFor(c);
  const timeline = new Timeline();
  const start = sim.clock.now();
  const aws = sim.ports("us-east-1", { maxAttempts: 1 });
  const out = await rollout(settingsOf(c), { aws, clock: sim.clock, events: timeline.sink, naming: CLI_NAMING });
  const wall = sim.clock.now() - start;
  const soakStart = timeline.events.find((e) => e.type === "phase-started" && e.phase === "canary-soak")?.at ?? 0;
  const soakEnd = timeline.events.find((e) => e.type === "phase-finished" && e.phase === "canary-soak")?.at ?? 0;
  const failed = timeline.events.find((e) => e.type === "phase-finished" && e.outcome === "failed");
  const during = sim.journal
    .calls()
    .filter((call) => CLOUDWATCH.includes(call.operation) && call.time >= soakStart && call.time <= soakEnd);
  const alarm = (await aws.cloudwatch?.describeAlarms({ AlarmNames: ["web-5xx"] }))?.MetricAlarms?.[0];
  const failingMeasurement = timeline.events.find(
    (e) => e.type === "metric-evaluation" && e.outcome === "failed" && e.failures > e.failureLimit,
  );
  // What the engine could first see: the alarm's state change, or the measurement that failed the check.
  const visible = c.variant === "soak-metric" ? failingMeasurement?.at : alarm?.StateUpdatedTimestamp?.getTime();
  return {
    result: out.result,
    wall,
    soakMs: soakEnd - soakStart,
    perMinute: during.length / ((soakEnd - soakStart) / 60_000),
    byOperation: CLOUDWATCH.map((op) => `${op} ${during.filter((call) => call.operation === op).length}`).join(", "),
    ...(failed && visible !== undefined ? { lag: failed.at - visible, visibleAt: visible - start } : {}),
  };
}

it("canary soak: added time, detection lag and CloudWatch calls", async () => {
  // The bench-only ideal rollout knows no soak: the physical minimum with one is that rollout plus the soak.
  const ideal = await measureSchedule(
    { name: "ideal", about: "", settings: rolloutSettings({ runId: "bench" }) },
    IDEAL,
  );
  const passing = await Promise.all(PASSING.map(async (c) => [c, await engine(c)] as const));
  const failing = await Promise.all(FAILING.map(async (c) => [c, await engine(c)] as const));
  // The target is about alarms; a metric check fails at the measurement itself, shown but not averaged.
  const lags = failing.filter(([c]) => c.variant !== "soak-metric").map(([, m]) => m.lag ?? Number.NaN);
  const meanLag = lags.reduce((a, b) => a + b, 0) / lags.length;
  writeResult("soak", {
    order: 1.5,
    section: "Canary soak",
    figures: Object.fromEntries([
      ...passing.map(([c, m]) => [`soak.${c.name}.wall`, m.wall]),
      ...passing.map(([c, m]) => [`soak.${c.name}.cloudwatchPerMinute`, m.perMinute]),
      ["soak.meanLag", meanLag],
    ]),
    tables: [
      {
        title: "The soak adds its duration and nothing more (virtual time)",
        about: `A passing rollout of the demo with a ${seconds(SOAK_MS)} soak. The physical minimum is the bench-only ideal rollout (${seconds(ideal.wall)}, no soak) plus the soak. Target: engine ≤ 1.05 × that minimum.`,
        columns: ["scenario", "result", "engine", "physical minimum", "ratio", "≤ 1.05"],
        rows: passing.map(([c, m]) => {
          const minimum = ideal.wall + SOAK_MS;
          return [
            `${c.name}: ${c.about}`,
            m.result,
            seconds(m.wall),
            seconds(minimum),
            ratio(m.wall / minimum),
            verdict(m.wall / minimum <= 1.05),
          ];
        }),
      },
      {
        title: "CloudWatch calls per minute of soak",
        about:
          "Calls the simulator's journal recorded between the soak phase's start and end (the preflight reads are not counted). DescribeAlarms is read every 2 s, so a state change is seen within 2 s; each metric check is one GetMetricData per interval.",
        columns: ["scenario", "soak", "calls per minute", "by operation"],
        rows: [...passing, ...failing].map(([c, m]) => [
          c.name,
          seconds(m.soakMs),
          m.perMinute.toFixed(1),
          m.byOperation,
        ]),
      },
      {
        title: "Failing soaks: detection lag",
        about: `From the moment the failure is visible (the alarm's StateUpdatedTimestamp; for a metric check, the measurement that exceeded failure-limit) to the engine's failed phase. Target: mean ≤ 2 s over the alarm cases. Measured mean: ${seconds(meanLag)} (${meanLag <= 2_000 ? "pass" : "FAIL"}).`,
        columns: ["variant", "what fails", "visible at", "engine lag", "result"],
        rows: failing.map(([c, m]) => [
          c.name,
          c.about,
          seconds(m.visibleAt ?? Number.NaN),
          seconds(m.lag ?? Number.NaN),
          m.result,
        ]),
      },
    ],
  });
});
