/**
 * Issue 13 ("Measured"): BLUE_GREEN, LINEAR and CANARY services rolled out on virtual time. Engine time against the
 * physical minimum, the lag from the world ending a failed deployment to cage's conclusion, and calls per
 * rollout. Deterministic. In fast mode only the engine runs; its figures go to the baseline check.
 */
import { it } from "vitest";
import { REPO, webContext } from "../__tests__/engine/scenarios/world.js";
import { LAMBDA_HOOK, type NativeStrategy, STRATEGY_SETTINGS } from "../__tests__/fixtures/native-world.js";
import {
  configOf,
  type IdealMeasure,
  measureNativeEngine,
  measureNativeIdeal,
  type NativeCase,
  type NativeMeasure,
} from "./native-runs.js";
import { isFast, ratio, seconds, type Table, verdict, writeResult } from "./results.js";
import { POLL } from "./schedule.js";

const STRATEGIES: NativeStrategy[] = ["BLUE_GREEN", "LINEAR", "CANARY"];
const MINUTE = 60_000;

const nameOf = (strategy: NativeStrategy) => strategy.toLowerCase().replace("_", "-");

/** Both target groups drain for the ALB's default 300 s. */
const defaultDrain = (w: any) => {
  for (const tg of w.targetGroups) tg.deregistrationDelaySeconds = 300;
};

const PASSING: NativeCase[] = [
  ...STRATEGIES.map((strategy) => ({
    name: nameOf(strategy),
    strategy,
    about: "the fixture's short bakes",
  })),
  {
    name: "linear-4-steps",
    strategy: "LINEAR",
    about: "25 % steps",
    longer: true,
    config: { bakeTimeInMinutes: 1, linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } },
  },
  {
    name: "blue-green-long",
    strategy: "BLUE_GREEN",
    about: "10 min bake, 300 s deregistration delay",
    longer: true,
    config: { bakeTimeInMinutes: 10 },
    world: defaultDrain,
  },
];

/** web-errors goes to ALARM 90 s after the first v2 task runs: after the canary, during ECS's deployment. */
const alarm = (w: any) => {
  w.alarms = [...(w.alarms ?? []), { name: "web-errors", trigger: { image: "web:v2", afterSeconds: 90 } }];
  w.services[0].alarms = { alarmNames: ["web-errors"], rollback: true };
};

/** Each v2 task exits 45 s after RUNNING: the canary has passed by then, green's tasks fail three times. */
const crashing = (w: any) => {
  w.images[`${REPO}:v2`] = { bootSeconds: 25, healthyAfterSeconds: 10, exitAfterSeconds: 45, exitCode: 2 };
};

/** service.json (update-service) adds a Lambda hook after the production shift that fails after 20 s. */
function failingHook(strategy: NativeStrategy): Partial<NativeCase> {
  return {
    world: (w: any) => {
      w.lambdas = { "web-check": { outcome: "FAILED", seconds: 20 } };
    },
    settings: {
      updateService: true,
      context: webContext("v2", {
        deploymentConfiguration: { strategy, ...STRATEGY_SETTINGS[strategy], lifecycleHooks: [LAMBDA_HOOK as never] },
      }),
    },
  };
}

const FAILING: NativeCase[] = STRATEGIES.flatMap((strategy) => {
  const base = nameOf(strategy);
  return [
    { name: `${base}-alarm`, strategy, about: "deployment alarm web-errors, rollback", world: alarm },
    {
      name: `${base}-hook`,
      strategy,
      about: "AWS_LAMBDA hook fails (POST_PRODUCTION_TRAFFIC_SHIFT)",
      ...failingHook(strategy),
    },
    {
      name: `${base}-breaker`,
      strategy,
      about: "circuit breaker: green's tasks exit 45 s after RUNNING",
      world: crashing,
    },
  ];
});

/** The configured bakes: each production step below 100 % bakes its step time, then the final bake. */
function configuredBakes(c: NativeCase): { steps: number; final: number } {
  const config = configOf(c);
  const final = (config.bakeTimeInMinutes ?? 0) * MINUTE;
  if (c.strategy === "LINEAR" && config.linearConfiguration) {
    const { stepPercent, stepBakeTimeInMinutes } = config.linearConfiguration;
    return { steps: (Math.ceil(100 / stepPercent) - 1) * stepBakeTimeInMinutes * MINUTE, final };
  }
  if (c.strategy === "CANARY" && config.canaryConfiguration) {
    return { steps: config.canaryConfiguration.canaryBakeTimeInMinutes * MINUTE, final };
  }
  return { steps: 0, final };
}

function efficiency(measured: [NativeCase, NativeMeasure, IdealMeasure][]): Table {
  return {
    title: "Native rollouts: engine against the physical minimum (virtual time)",
    about:
      "A passing `rollout` of the listener world's web service (2 Fargate tasks, blue web-tg and green web-green behind weighted production and test rules) declared with each strategy, from the first call until ECS's service deployment is SUCCESSFUL. " +
      `Physical minimum = canary start + container health + target healthy + canary drain + stop (the bench-only ideal rollout, looking every ${POLL} ms at no cost and taking the canary out before UpdateService, as a native service needs) ` +
      "+ ECS's own deployment as the world times it (its createdAt to finishedAt): green fleet started and healthy in the idle group + test traffic shift + production shift steps × step bake + final bake + blue drained and stopped. " +
      "The columns after the ratio split the minimum into those terms (bakes as configured; green fleet and clean-up as looked at every 250 ms; 'stage moves' is what is left, the stages that pass at once). Target: engine ≤ 1.05 × minimum.",
    columns: [
      "scenario",
      "engine",
      "physical minimum",
      "ratio",
      "≤ 1.05",
      "canary",
      "green fleet",
      "step bakes",
      "final bake",
      "clean-up",
      "stage moves",
    ],
    rows: measured.map(([c, m, ideal]) => {
      const bakes = configuredBakes(c);
      const moves = ideal.deployment - ideal.greenFleet - bakes.steps - bakes.final - ideal.cleanUp;
      return [
        `${c.name}: ${c.strategy} ${JSON.stringify(configOf(c))}${c.world ? `, ${c.about}` : ""}`,
        seconds(m.wall),
        seconds(ideal.wall),
        ratio(m.wall / ideal.wall),
        verdict(m.wall / ideal.wall <= 1.05),
        seconds(ideal.canary),
        seconds(ideal.greenFleet),
        seconds(bakes.steps),
        seconds(bakes.final),
        seconds(ideal.cleanUp),
        seconds(moves),
      ];
    }),
  };
}

const ops = (m: NativeMeasure) =>
  Object.entries(m.byOperation)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");

function calls(measured: [NativeCase, NativeMeasure][]): Table {
  return {
    title: "Native rollouts: AWS calls per rollout",
    about:
      "Every call the simulator's journal recorded during one engine rollout (mutating: calls that change the world; reads: the rest). " +
      "Target: < 150 on the fixture's short bakes, as for ROLLING on the default demo; the longer rollouts show how the count grows with the deployment's length (DescribeServiceDeployments every 3 s at first, up to every 15 s, and every 2 s again, thinning out, once ECS rolls back or cleans up blue).",
    columns: ["scenario", "result", "calls", "reads", "mutating", "≤ 150", "by operation"],
    rows: measured.map(([c, m]) => [
      c.name,
      m.result,
      m.calls,
      m.calls - m.mutating,
      m.mutating,
      c.longer ? "(not a target)" : verdict(m.calls <= 150),
      ops(m),
    ]),
  };
}

/** When the world gave the deployment its first failing status (rollback started, or stopped), and its end. */
function worldMarks(m: NativeMeasure) {
  const d = m.deployment;
  const failed = d?.rollback?.startedAt?.getTime() ?? d?.stoppedAt?.getTime() ?? Number.NaN;
  return { failed: failed - m.start, ended: (d?.finishedAt?.getTime() ?? Number.NaN) - m.start };
}

const lagOf = (m: NativeMeasure) => (m.concluded ?? Number.NaN) - m.start - worldMarks(m).ended;

function detection(measured: [NativeCase, NativeMeasure][]): Table {
  const lags = measured.map(([, m]) => lagOf(m));
  const mean = lags.reduce((a, b) => a + b, 0) / lags.length;
  const max = Math.max(...lags);
  return {
    title: "Native deployments that fail: detection lag",
    about:
      "A `rollout` whose canary passes and whose ECS deployment then fails: a deployment alarm, a failing AWS_LAMBDA hook, or the circuit breaker, each rolling back. " +
      "Failed: when the world marked the deployment ROLLBACK_IN_PROGRESS (its rollback.startedAt) or STOPPED; ended: when it marked the status cage ends on (ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED or STOPPED: its finishedAt). " +
      "Detection lag: from ended to the end of cage's deployment phase; first seen: from failed to cage's first event showing the failing status. " +
      `Target: mean detection lag ≤ 2 s. Measured mean ${seconds(mean)}, max ${seconds(max)} (${verdict(mean <= 2000)}).`,
    columns: [
      "scenario",
      "what fails",
      "result",
      "world status",
      "failed at",
      "ended at",
      "detection lag",
      "first seen",
      "reason",
    ],
    rows: measured.map(([c, m]) => {
      const marks = worldMarks(m);
      return [
        c.name,
        c.about,
        m.result,
        m.deployment?.status ?? "?",
        seconds(marks.failed),
        seconds(marks.ended),
        seconds(lagOf(m)),
        seconds((m.firstSeenFailing ?? Number.NaN) - m.start - marks.failed),
        // The root cause, as the message's first clause gives it.
        m.message.split(";")[0] ?? "",
      ];
    }),
  };
}

function figures(passing: [NativeCase, NativeMeasure][], failing: [NativeCase, NativeMeasure][]) {
  const out: Record<string, number> = {};
  for (const [c, m] of passing) {
    out[`native.${c.name}.wall_ms`] = Math.round(m.wall);
    out[`native.${c.name}.calls`] = m.calls;
  }
  for (const [c, m] of failing) {
    out[`native-failing.${c.name}.concluded_ms`] = Math.round((m.concluded ?? 3_600_000) - m.start);
    out[`native-failing.${c.name}.calls`] = m.calls;
  }
  return out;
}

async function each<T>(cases: NativeCase[], run: (c: NativeCase) => Promise<T>): Promise<[NativeCase, T][]> {
  const out: [NativeCase, T][] = [];
  for (const c of cases) out.push([c, await run(c)]);
  return out;
}

it("native rollouts: efficiency, detection lag and calls", async () => {
  const passing = await each(PASSING, measureNativeEngine);
  const failing = await each(FAILING, measureNativeEngine);
  for (const [c, m] of passing)
    if (m.result !== "succeeded") throw new Error(`bench: ${c.name} ${m.result}: ${m.message}`);
  for (const [c, m] of failing)
    if (m.result !== "rolled-back") throw new Error(`bench: ${c.name} ${m.result}: ${m.message}`);
  if (isFast()) {
    writeResult("native", {
      order: 1.2,
      section: "Native deployments",
      tables: [],
      figures: figures(passing, failing),
    });
    return;
  }
  const ideals = await each(PASSING, measureNativeIdeal);
  writeResult("native", {
    order: 1.2,
    section: "Native deployments",
    tables: [
      efficiency(passing.map(([c, m], i) => [c, m, ideals[i]![1]])),
      detection(failing),
      calls([...passing, ...failing]),
    ],
    figures: figures(passing, failing),
    notes: [
      "linear and canary take the same time: with the fixture's settings (50 % steps; 10 % then 100 %) each bakes one 1-minute step before production is all on green.",
      "A deployment that goes from IN_PROGRESS straight to STOPPED (a failure without rollback) is seen at the usual cadence, within 15 s; every failure here rolls back.",
    ],
  });
});
