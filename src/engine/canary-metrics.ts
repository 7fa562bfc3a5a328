/**
 * The canary-metrics checks during a soak: each measured every `interval` (the first one interval after the soak
 * began, so the window holds the canary's traffic) with GetMetricData over the last interval; each measurement is
 * an event stating its comparison, and the verdict over them (metric-verdict.ts) can fail the canary.
 */
import type { GetMetricDataCommandOutput } from "@aws-sdk/client-cloudwatch";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import type { Phase } from "./events.js";
import { assessMetric, failureCount, judgeMeasurement, type Measurement, type MetricCheck } from "./metric-verdict.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";

export class MetricWatch {
  private readonly due = new Map<MetricCheck, number>();
  private readonly measured = new Map<MetricCheck, Measurement[]>();

  constructor(
    private readonly session: Session,
    private readonly checks: readonly MetricCheck[],
    start: number,
  ) {
    for (const check of checks) {
      this.due.set(check, start + check.intervalMs);
      this.measured.set(check, []);
    }
  }

  /** Milliseconds until the next measurement is due; undefined without checks. */
  nextIn(now: number): number | undefined {
    const times = [...this.due.values()];
    return times.length === 0 ? undefined : Math.max(0, Math.min(...times) - now);
  }

  /** Measures every check that is due; a check whose failures exceed its limit fails the canary. */
  async measureDue(phase: Phase): Promise<void> {
    for (const check of this.checks) {
      const now = this.session.clock.now();
      if ((this.due.get(check) ?? Number.POSITIVE_INFINITY) > now) continue;
      this.due.set(check, now + check.intervalMs);
      const value = await measure(this.session, phase, check, now);
      const measurements = this.measured.get(check) ?? [];
      measurements.push({ at: now, ...(value === undefined ? {} : { value }) });
      const judged = judgeMeasurement(check, value);
      const verdict = assessMetric(check, measurements);
      this.session.emit({
        type: "metric-evaluation",
        metric: check.name,
        ...(value === undefined ? {} : { value }),
        comparison: judged.comparison,
        outcome: judged.outcome,
        failures: verdict.failures,
        failureLimit: check.failureLimit,
      });
      if (verdict.verdict === "failed") {
        throw new CageError(
          "canary-failed",
          phase,
          `Metric check '${inert(check.name)}' failed during the canary soak: ${inert(judged.comparison)} ${failureCount(verdict.failures, check.failureLimit)}.`,
          `The canary was judged by it under real traffic: read the metric for the new task definition, or change its conditions or failure-limit in ${this.session.naming.input("canary-metrics")}.`,
        );
      }
    }
  }

  /** At the end of the soak: a check that never had a conclusive measurement could not judge the canary; say so. */
  reportInconclusive(): void {
    for (const check of this.checks) {
      const verdict = assessMetric(check, this.measured.get(check) ?? []);
      if (verdict.verdict !== "inconclusive" && verdict.verdict !== "pending") continue;
      const why =
        verdict.verdict === "pending"
          ? "the soak ended before its first interval"
          : `its ${verdict.inconclusive} measurements were inconclusive (no data, or neither condition met)`;
      this.session.emit({
        type: "notice",
        level: "warning",
        message: `Metric check '${inert(check.name)}' could not judge the canary: ${why}.`,
      });
    }
  }
}

/** The newest datapoint of the query that returns data, over the last interval; undefined: no data. */
async function measure(session: Session, phase: Phase, check: MetricCheck, now: number): Promise<number | undefined> {
  const port = session.aws.cloudwatch;
  if (!port)
    throw new CageError("aws", phase, "This run has no CloudWatch client, which a soak with metric checks needs.");
  const out: GetMetricDataCommandOutput = await callAws(session, phase, "cloudwatch:GetMetricData", (signal) =>
    port.getMetricData(
      {
        MetricDataQueries: check.queries,
        StartTime: new Date(now - check.intervalMs),
        EndTime: new Date(now),
        ScanBy: "TimestampDescending",
      },
      signal,
    ),
  );
  const id = check.queries.find((q) => q.ReturnData !== false)?.Id;
  const result = out.MetricDataResults?.find((r) => r.Id === id);
  const value = result?.Values?.[0];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Preflight: each check's queries are sent once, so CloudWatch refuses a bad query before anything is started. */
export async function tryMetricChecks(session: Session, checks: readonly MetricCheck[] | undefined): Promise<void> {
  for (const check of checks ?? []) await measure(session, "preflight", check, session.clock.now());
}
