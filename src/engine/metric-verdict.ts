/**
 * The verdict of a metric check, a pure function over its measurements, as argo-rollouts' analysis judges them:
 * each measurement is successful, failed or inconclusive (no data, or neither condition met), and the check fails
 * once its failures exceed `failure-limit` (0: the first failure fails the canary).
 */
import type { MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { type Condition, comparisonText, formatValue, holds } from "./metric-condition.js";

export interface MetricCheck {
  name: string;
  /** GetMetricData's MetricDataQueries as the file gives them; exactly one returns data: `result`. */
  queries: MetricDataQuery[];
  /** How often it is measured, each time over the last interval. */
  intervalMs: number;
  /** How many failed measurements are tolerated. */
  failureLimit: number;
  failureCondition?: Condition;
  successCondition?: Condition;
}

export type MeasurementOutcome = "successful" | "failed" | "inconclusive";

export interface Measurement {
  at: number;
  /** The newest datapoint of the window; absent: no data. */
  value?: number;
}

export interface Judged {
  outcome: MeasurementOutcome;
  /** The comparison made, with the value in place of `result`. */
  comparison: string;
}

/** One measurement: the failure condition first, then the success condition; no data is inconclusive. */
export function judgeMeasurement(check: MetricCheck, value: number | undefined): Judged {
  if (value === undefined) return { outcome: "inconclusive", comparison: "no data" };
  const { failureCondition: fail, successCondition: pass } = check;
  if (fail && holds(fail, value)) return { outcome: "failed", comparison: comparisonText(fail, value) };
  if (pass && holds(pass, value)) return { outcome: "successful", comparison: comparisonText(pass, value) };
  if (pass && !fail) return { outcome: "failed", comparison: `not ${comparisonText(pass, value)}` };
  if (fail && !pass) return { outcome: "successful", comparison: `not ${comparisonText(fail, value)}` };
  const neither = [fail, pass].map((c) => (c ? comparisonText(c, value) : "")).join(" nor ");
  return { outcome: "inconclusive", comparison: `${formatValue(value)}: neither ${neither}` };
}

export interface MetricVerdict {
  /** failed: failures exceed the limit; inconclusive: nothing measured succeeded or failed; else successful. */
  verdict: "failed" | "successful" | "inconclusive" | "pending";
  failures: number;
  successes: number;
  inconclusive: number;
}

export function assessMetric(check: MetricCheck, measurements: readonly Measurement[]): MetricVerdict {
  const outcomes = measurements.map((m) => judgeMeasurement(check, m.value).outcome);
  const count = (o: MeasurementOutcome) => outcomes.filter((x) => x === o).length;
  const failures = count("failed");
  const successes = count("successful");
  const inconclusive = count("inconclusive");
  const verdict =
    failures > check.failureLimit
      ? "failed"
      : measurements.length === 0
        ? "pending"
        : successes + failures === 0
          ? "inconclusive"
          : "successful";
  return { verdict, failures, successes, inconclusive };
}

/** How a failure counts toward the verdict: `(1 of 2)`, the second failing the canary. */
export function failureCount(failures: number, failureLimit: number): string {
  return `(${failures} of ${failureLimit + 1})`;
}
