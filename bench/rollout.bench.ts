/**
 * Issue 7 items 1 and 5: rollout efficiency on virtual time, calls by operation, detection lag, cleanup time and
 * the cost model. Deterministic. In fast mode only the engine runs; its figures go to the baseline check.
 */
import { it } from "vitest";
import { isFast, ratio, seconds, type Table, verdict, writeResult } from "./results.js";
import {
  type CaseMeasures,
  measureCase,
  measureEngine,
  measureServices,
  type RolloutMeasure,
  type ServicesMeasure,
} from "./rollouts.js";
import { CANARYCAGE, POLL } from "./schedule.js";
import { FAILING, PASSING, type RolloutCase, withServices, withTargetGroups } from "./worlds.js";

const ops = (m: RolloutMeasure) =>
  Object.entries(m.byOperation)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");

function efficiency(measured: [RolloutCase, CaseMeasures][]): Table {
  return {
    title: "Rollout efficiency (virtual time)",
    about:
      "Wall time of a passing `rollout` in the simulator, from the first call until the canary is stopped and the deployment is COMPLETED. " +
      `The physical minimum is a bench-only rollout that looks every ${POLL} ms at no cost and acts at once (canary start + health checks + max(deployment, drain + stop)). ` +
      "canarycage is the same bench-only rollout under canarycage's polling schedule (2 s sleep, SDK waiter backoff 6-120 s, 15 s health polls, deregistration after the service is stable). " +
      "Targets: engine ≤ 1.05 × minimum everywhere; ≤ 0.7 × canarycage on the default demo (fargate-alb).",
    columns: [
      "scenario",
      "engine",
      "physical minimum",
      "ratio",
      "≤ 1.05",
      "canarycage",
      "engine / canarycage",
      "≤ 0.7",
    ],
    rows: measured.map(([c, m], i) => {
      const toMin = m.engine.wall / m.ideal.wall;
      const toCage = m.engine.wall / m.canarycage.wall;
      return [
        `${c.name}: ${c.about}`,
        seconds(m.engine.wall),
        seconds(m.ideal.wall),
        ratio(toMin),
        verdict(toMin <= 1.05),
        seconds(m.canarycage.wall),
        ratio(toCage),
        i === 0 ? verdict(toCage <= 0.7) : "(not a target)",
      ];
    }),
  };
}

function calls(measured: [RolloutCase, RolloutMeasure][]): Table {
  return {
    title: "AWS calls per rollout",
    about: "Every call the simulator's journal recorded during one engine rollout. Target: < 150 on the default demo.",
    columns: ["scenario", "result", "calls", "≤ 150", "by operation"],
    rows: measured.map(([c, m]) => [c.name, m.result, m.calls, verdict(m.calls <= 150), ops(m)]),
  };
}

function detection(measured: [RolloutCase, CaseMeasures][]): Table {
  return {
    title: "Failing canaries: detection lag and time to clean up",
    about:
      `The failure is dated by the ideal schedule (the first ${POLL} ms poll at which the API shows it). ` +
      "Detection lag: from then to the engine's failed phase. Clean-up: from then until the canary is deregistered and STOPPED. " +
      "Target: mean engine lag ≤ 2 s.",
    columns: [
      "variant",
      "failure visible at",
      "engine lag",
      "engine clean-up",
      "engine calls",
      "canarycage lag",
      "canarycage clean-up",
    ],
    rows: measured.map(([c, m]) => {
      const at = m.ideal.failedAt ?? 0;
      return [
        c.about,
        seconds(at),
        seconds((m.engine.failedAt ?? Number.NaN) - at),
        seconds(m.engine.wall - at),
        m.engine.calls,
        seconds((m.canarycage.failedAt ?? Number.NaN) - at),
        seconds(m.canarycage.wall - at),
      ];
    }),
  };
}

function costModel(byGroups: [number, CaseMeasures][]): Table {
  return {
    title: "Cost model: calls and Fargate canary-seconds per rollout",
    about:
      "The default demo behind 1, 2 and 4 target groups (each extra group health-checks every 5 s, drains 10 s). " +
      "Canary-seconds: from RunTask to the canary's stoppedAt (Fargate bills that span, 1 minute minimum; 0.5 vCPU, 1 GB here). " +
      "How the cost grows with services is measured in the next table.",
    columns: [
      "target groups",
      "engine calls",
      "engine canary-seconds",
      "canarycage calls",
      "canarycage canary-seconds",
    ],
    rows: byGroups.map(([n, m]) => [
      n,
      m.engine.calls,
      m.engine.canarySeconds,
      m.canarycage.calls,
      m.canarycage.canarySeconds,
    ]),
  };
}

function servicesCost(byServices: [number, ServicesMeasure, ServicesMeasure][]): Table {
  return {
    title: "Cost model: several services rolled out at once",
    about:
      "The demo's web service plus copies, each behind its own load balancer and target group, all rolled out at the same time on one simulator (a monorepo's matrix job). " +
      "Totals over all rollouts; the wall time is the simulated time until the last one ended.",
    columns: [
      "services",
      "results",
      "engine calls",
      "calls per service",
      "engine canary-seconds",
      "engine wall",
      "canarycage calls",
      "canarycage canary-seconds",
      "canarycage wall",
    ],
    rows: byServices.map(([n, engine, cage]) => [
      n,
      [...new Set(engine.results)].join(", "),
      engine.calls,
      (engine.calls / n).toFixed(1),
      engine.canarySeconds,
      seconds(engine.wall),
      cage.calls,
      cage.canarySeconds,
      seconds(cage.wall),
    ]),
  };
}

function figures(passing: [RolloutCase, RolloutMeasure][], failing: [RolloutCase, RolloutMeasure][]) {
  const out: Record<string, number> = {};
  for (const [c, m] of passing) {
    out[`rollout.${c.name}.wall_ms`] = Math.round(m.wall);
    out[`rollout.${c.name}.calls`] = m.calls;
  }
  for (const [c, m] of failing) {
    out[`failing.${c.name}.detected_ms`] = Math.round(m.failedAt ?? 3_600_000);
    out[`failing.${c.name}.cleaned_ms`] = Math.round(m.wall);
    out[`failing.${c.name}.calls`] = m.calls;
  }
  return out;
}

async function each<T>(cases: RolloutCase[], run: (c: RolloutCase) => Promise<T>): Promise<[RolloutCase, T][]> {
  const out: [RolloutCase, T][] = [];
  for (const c of cases) out.push([c, await run(c)]);
  return out;
}

it("rollout efficiency, calls, detection lag and cost", async () => {
  if (isFast()) {
    const passing = await each(PASSING, measureEngine);
    const failing = await each(FAILING, measureEngine);
    writeResult("rollout", { order: 1, section: "Rollouts", tables: [], figures: figures(passing, failing) });
    return;
  }
  const passing = await each(PASSING, measureCase);
  const failing = await each(FAILING, measureCase);
  const byGroups: [number, CaseMeasures][] = [];
  for (const n of [1, 2, 4]) byGroups.push([n, await measureCase(withTargetGroups(n))]);
  const byServices: [number, ServicesMeasure, ServicesMeasure][] = [];
  for (const n of [1, 2, 4, 8]) {
    const c = withServices(n);
    byServices.push([n, await measureServices(c), await measureServices(c, CANARYCAGE)]);
  }
  const lags = failing.map(([, m]) => (m.engine.failedAt ?? 0) - (m.ideal.failedAt ?? 0));
  const meanLag = lags.reduce((a, b) => a + b, 0) / lags.length;
  const detectionTable = detection(failing);
  detectionTable.about += ` Measured mean: ${seconds(meanLag)} (${verdict(meanLag <= 2000)}).`;
  writeResult("rollout", {
    order: 1,
    section: "Rollouts",
    tables: [
      efficiency(passing),
      calls([...passing, ...failing].map(([c, m]) => [c, m.engine])),
      detectionTable,
      costModel(byGroups),
      servicesCost(byServices),
    ],
    figures: figures(
      passing.map(([c, m]) => [c, m.engine]),
      failing.map(([c, m]) => [c, m.engine]),
    ),
    notes: [
      "slow-start: the simulator does not model the ALB's slow_start.duration_seconds, so this scenario is an app that is slow to boot and to turn healthy.",
    ],
  });
});
