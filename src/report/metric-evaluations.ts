/** The canary-metrics evaluations of a soak: one line per measurement for logs, and a small table for the summary. */
import type { CageEvent } from "../engine/events.js";
import { failureCount } from "../engine/metric-verdict.js";
import { formatDuration } from "../shared/duration.js";
import { inert } from "../shared/inert.js";
import { escapeText, table } from "./escape.js";

export type MetricEvaluation = Extract<CageEvent, { type: "metric-evaluation" }>;

/** `(1 of 2)`: the first failure of the two that fail the canary. */
function tally(e: MetricEvaluation): string {
  if (e.outcome === "failed") return failureCount(e.failures, e.failureLimit);
  return e.outcome === "successful" ? "ok" : "inconclusive";
}

/** `5xx rate 0.031 > 0.01 (1 of 2)`, the file's text made inert. */
export function evaluationText(e: MetricEvaluation): string {
  const sep = e.outcome === "failed" ? " " : ": ";
  return `${inert(e.metric)} ${inert(e.comparison)}${sep}${tally(e)}`;
}

/** The evaluations as a table (time from the first event, metric, comparison, outcome), or "" when none. */
export function renderMetricTable(events: readonly CageEvent[]): string {
  const evaluations = events.filter((e): e is MetricEvaluation => e.type === "metric-evaluation");
  if (evaluations.length === 0) return "";
  const start = events[0]?.at ?? 0;
  const rows = evaluations.map((e) => [
    `+${formatDuration(e.at - start)}`,
    escapeText(e.metric),
    escapeText(e.comparison),
    e.outcome === "failed" ? `✖ failed ${tally(e)}` : e.outcome === "successful" ? "✔ ok" : "? inconclusive",
  ]);
  return table(["Time", "Metric", "Comparison", "Outcome"], rows);
}
