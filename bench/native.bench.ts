/**
 * Issue 13, Measured: BLUE_GREEN, LINEAR and CANARY services on virtual time. A passing rollout against its
 * physical minimum, the detection lag of a deployment ECS rolls back (alarm, Lambda hook), and AWS calls by
 * operation. Deterministic. In fast mode only the engine runs; its figures go to the baseline check.
 */
import type { DeploymentConfiguration } from "@aws-sdk/client-ecs";
import { it } from "vitest";
import {
  type AloneMeasure,
  failingCases,
  idealCanary,
  LONGER,
  measureNative,
  type NativeCase,
  type NativeMeasure,
  nativeAlone,
  passingCase,
  STRATEGIES,
} from "./native-rollouts.js";
import { isFast, ratio, seconds, type Table, verdict, writeResult } from "./results.js";
import { POLL } from "./schedule.js";

interface Passing {
  c: NativeCase;
  m: NativeMeasure;
  canary: number;
  deployment: AloneMeasure;
}

const MINUTE = 60_000;

/** The bakes the deployment was configured with: each production step below 100 % bakes its step time, then the final bake. */
function bakesOf(config: DeploymentConfiguration | undefined): { steps: number; final: number } {
  const final = (config?.bakeTimeInMinutes ?? 0) * MINUTE;
  if (config?.strategy === "LINEAR") {
    const step = config.linearConfiguration?.stepPercent ?? 10;
    const bakes = Math.ceil(100 / step) - 1;
    return { steps: bakes * (config.linearConfiguration?.stepBakeTimeInMinutes ?? 0) * MINUTE, final };
  }
  if (config?.strategy === "CANARY") {
    return { steps: (config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 0) * MINUTE, final };
  }
  return { steps: 0, final };
}

const total = (ops: Record<string, number>) => Object.values(ops).reduce((a, b) => a + b, 0);
const ops = (byOp: Record<string, number>) =>
  Object.entries(byOp)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
/** Virtual ms from the deployment's finishedAt (as ECS reports it) to the engine's end of the deployment phase. */
const lagOf = (m: NativeMeasure) => (m.concludedAt ?? Number.NaN) - (m.finishedAt ?? Number.NaN);

function efficiency(passing: Passing[]): Table {
  return {
    title: "Native rollouts against the physical minimum (virtual time)",
    about:
      "A passing `rollout` of web:2 in the listener world, the web service declared with each strategy (1 min bake; LINEAR 50 % steps with 1 min step bake; CANARY 10 % with 1 min canary bake), then two longer ones. " +
      "Physical minimum = canary + ECS's deployment, in sequence because cage takes the canary out before UpdateService: " +
      `canary = the bench-only ideal rollout (looks every ${POLL} ms at no cost) on the same world, from its first call until the canary is STOPPED (start, RUNNING, registered, healthy, deregistered, drained, stopped); ` +
      "ECS's deployment = finishedAt − createdAt of the same deployment started by a plain UpdateService with no canary = green fleet started and healthy in the idle group + test traffic shift + production shift steps × step bake + final bake + blue's clean-up (deregistered, drained, stopped). " +
      "Its terms: green fleet from createdAt to the first look past SCALE_UP, clean-up from the first look at CLEAN_UP to finishedAt (looks every 1 s), the bakes as configured, and 'other' what is left (the shifts, which ECS makes at once here). " +
      "Target: engine ≤ 1.05 × minimum.",
    columns: [
      "strategy",
      "result",
      "engine",
      "canary",
      "ECS's deployment",
      "green fleet",
      "step bakes",
      "final bake",
      "clean-up",
      "other",
      "physical minimum",
      "ratio",
      "≤ 1.05",
    ],
    rows: passing.map(({ c, m, canary, deployment }) => {
      const minimum = canary + deployment.total;
      const bakes = bakesOf(m.deployment?.deploymentConfiguration);
      const other = deployment.total - deployment.greenFleet - bakes.steps - bakes.final - deployment.cleanUp;
      return [
        `${c.name}: ${c.about}`,
        m.result,
        seconds(m.wall),
        seconds(canary),
        seconds(deployment.total),
        seconds(deployment.greenFleet),
        seconds(bakes.steps),
        seconds(bakes.final),
        seconds(deployment.cleanUp),
        seconds(other),
        seconds(minimum),
        ratio(m.wall / minimum),
        verdict(m.wall / minimum <= 1.05),
      ];
    }),
  };
}

function detection(failing: [NativeCase, NativeMeasure][], meanLag: number): Table {
  return {
    title: "Native deployments ECS rolls back: detection lag",
    about:
      "A `rollout` whose canary passes and whose ECS deployment then fails and rolls back: a deployment alarm, a failing AWS_LAMBDA hook, or the circuit breaker. " +
      "Detection lag: from the service deployment's finishedAt (the end of the rollback, as DescribeServiceDeployments reports it after the run) to the engine's end of the deployment phase. " +
      `Target: mean ≤ 2 s. Measured mean: ${seconds(meanLag)} (${verdict(meanLag <= 2_000)}).`,
    columns: ["case", "what fails", "result", "deployment ended", "finishedAt", "engine concluded", "lag"],
    rows: failing.map(([c, m]) => [
      c.name,
      c.about,
      m.result,
      m.deployment?.status ?? "?",
      seconds(m.finishedAt ?? Number.NaN),
      seconds(m.concludedAt ?? Number.NaN),
      seconds(lagOf(m)),
    ]),
  };
}

function calls(measured: [NativeCase, NativeMeasure][]): Table {
  return {
    title: "AWS calls per native rollout",
    about:
      "Every call the simulator's journal recorded during one engine rollout, split into reads and mutating calls.",
    columns: ["case", "result", "calls", "reads", "mutating", "reads by operation", "mutating by operation"],
    rows: measured.map(([c, m]) => [
      c.name,
      m.result,
      total(m.reads) + total(m.mutations),
      total(m.reads),
      total(m.mutations),
      ops(m.reads),
      ops(m.mutations),
    ]),
  };
}

function figures(passing: [NativeCase, NativeMeasure][], failing: [NativeCase, NativeMeasure][]) {
  const out: Record<string, number> = {};
  const key = (c: NativeCase) => c.name.replaceAll(" ", "-");
  for (const [c, m] of passing) {
    out[`native.${key(c)}.wall_ms`] = Math.round(m.wall);
    out[`native.${key(c)}.calls`] = total(m.reads) + total(m.mutations);
  }
  for (const [c, m] of failing) {
    out[`native.${key(c)}.concluded_ms`] = Math.round(m.concludedAt ?? 3_600_000);
    out[`native.${key(c)}.calls`] = total(m.reads) + total(m.mutations);
  }
  return out;
}

async function each<T>(cases: NativeCase[], run: (c: NativeCase) => Promise<T>): Promise<[NativeCase, T][]> {
  const out: [NativeCase, T][] = [];
  for (const c of cases) out.push([c, await run(c)]);
  return out;
}

it("native deployments: rollout efficiency, detection lag and calls", async () => {
  const passing = await each([...STRATEGIES.map(passingCase), ...LONGER], measureNative);
  const failing = await each(STRATEGIES.flatMap(failingCases), measureNative);
  const section = "Native deployments";
  const lags = failing.map(([, m]) => lagOf(m));
  const meanLag = lags.reduce((a, b) => a + b, 0) / lags.length;
  const numbers = { ...figures(passing, failing), "native.meanLag_ms": Math.round(meanLag) };
  if (isFast()) {
    writeResult("native", { order: 1.7, section, tables: [], figures: numbers });
    return;
  }
  const withMinimum: Passing[] = [];
  for (const [c, m] of passing)
    withMinimum.push({ c, m, canary: await idealCanary(c), deployment: await nativeAlone(c) });
  writeResult("native", {
    order: 1.7,
    section,
    tables: [efficiency(withMinimum), detection(failing, meanLag), calls([...passing, ...failing])],
    figures: numbers,
    notes: [
      `Max detection lag: ${seconds(Math.max(...lags))}.`,
      "The engine follows its service deployment with one DescribeServiceDeployments per look: at a bake's end (from updatedAt and the deployment's bake settings), every 2 s while a lifecycle hook runs or a rollback is under way, else every 3-15 s as the wait grows (src/engine/deployment-next-look.ts, deploymentPollMs in src/engine/deployment-watch.ts). An alarm can go off at any moment, so its lag is where in the current interval the rollback ends (up to that interval).",
    ],
  });
});
