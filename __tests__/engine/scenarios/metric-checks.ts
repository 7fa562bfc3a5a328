/** Metric checks for soak scenarios, as the canary-metrics file of deploy-example/ declares them. */
import { readFileSync } from "node:fs";
import type { MetricCheck } from "../../../src/engine/metric-verdict.js";
import type { SoakSettings } from "../../../src/engine/settings.js";
import { parseMetricsFile } from "../../../src/inputs/metrics-file.js";

export const DEMO_METRICS = "deploy-example/canary-metrics.yml";

/** The demo's `error rate` check (web/ErrorRate for Version=v2, fails above 0.01, one failure tolerated). */
export function errorRateCheck(over: Partial<MetricCheck> = {}): MetricCheck {
  const [check] = parseMetricsFile(readFileSync(DEMO_METRICS, "utf8"), DEMO_METRICS, "--canary-metrics");
  return { ...(check as MetricCheck), ...over };
}

export const metricSoak = (over: Partial<SoakSettings> = {}): SoakSettings => ({
  durationMs: 180_000,
  alarms: [],
  insufficientData: "ignore",
  metrics: [errorRateCheck()],
  ...over,
});
