/**
 * The run as a mermaid gantt chart: one section of phases, one of a native service deployment's lifecycle stages,
 * one section per target group's health.
 */
import type { CageEvent } from "../engine/events.js";
import { boundsOf, healthSpans, phaseSpans, type StageSpan, stageSpans, targetGroupName } from "./timeline.js";

/** Mermaid reads task names up to `:` and sections to the end of line; keep only characters that cannot break that. */
export function mermaidText(value: string, max = 60): string {
  const clean = value
    .replace(/[^\p{L}\p{N} ._/()-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.slice(0, max) || "unnamed";
}

const PHASE_STATUS = { ok: "done, ", failed: "crit, ", skipped: "" } as const;

function stageStatus(span: StageSpan): string {
  if (span.status.startsWith("ROLLBACK") || span.status === "STOPPED") return "crit, ";
  if (span.status === "SUCCESSFUL") return "done, ";
  return "active, ";
}

function healthStatus(state: string): string {
  if (state === "healthy") return "done, ";
  if (state === "unhealthy") return "crit, ";
  return "active, ";
}

/** Whole milliseconds (mermaid's `x` format drops a bar with a fraction), at least 1 ms long. */
function bar(start: number, end: number): string {
  const from = Math.round(start);
  return `${from}, ${Math.max(Math.round(end), from + 1)}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Tick steps, finest first: [length in ms, mermaid's tickInterval, an axis format fine enough to tell ticks apart]. */
const STEPS: [number, string, string][] = [
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500].map((n): [number, string, string] => [n, `${n}millisecond`, "%M:%S.%L"]),
  ...[1, 2, 5, 10, 15, 30].map((n): [number, string, string] => [n * SECOND, `${n}second`, "%H:%M:%S"]),
  ...[1, 2, 5, 10, 15, 30].map((n): [number, string, string] => [n * MINUTE, `${n}minute`, "%H:%M"]),
  ...[1, 2, 3, 6, 12].map((n): [number, string, string] => [n * HOUR, `${n}hour`, "%H:%M"]),
  [24 * HOUR, "1day", "%m-%d %H:%M"],
];
const MAX_TICKS = 8;

/** The axis of a chart `span` ms wide: at most MAX_TICKS ticks, each label different from the last. */
export function axisOf(span: number): { tickInterval: string; axisFormat: string } {
  const step = STEPS.find(([ms]) => span / ms <= MAX_TICKS) ?? (STEPS.at(-1) as [number, string, string]);
  return { tickInterval: step[1], axisFormat: step[2] };
}

/** The fenced mermaid block, or an empty string when there are no phases to draw. */
export function renderGantt(events: readonly CageEvent[]): string {
  const phases = phaseSpans(events);
  if (phases.length === 0) return "";
  const bounds = boundsOf(events) ?? { start: 0, end: 0 };
  const axis = axisOf(Math.max(1, Math.round(bounds.end) - Math.round(bounds.start)));
  // No `title`: mermaid sanitizes titles with DOMPurify (no DOM under Node), and the heading above names the chart.
  const lines = [
    "gantt",
    "  dateFormat x",
    `  axisFormat ${axis.axisFormat}`,
    `  tickInterval ${axis.tickInterval}`,
    "  section Phases",
  ];
  phases.forEach((span, i) => {
    const status = span.outcome ? PHASE_STATUS[span.outcome] : "active, ";
    lines.push(`  ${mermaidText(span.phase)} :${status}p${i}, ${bar(span.start, span.end)}`);
  });
  const stages = stageSpans(events);
  if (stages.length > 0) lines.push("  section Service deployment");
  stages.forEach((span, i) => {
    lines.push(`  ${mermaidText(span.label)} :${stageStatus(span)}s${i}, ${bar(span.start, span.end)}`);
  });
  const byGroup = new Map<string, ReturnType<typeof healthSpans>>();
  for (const span of healthSpans(events)) {
    const group = byGroup.get(span.targetGroupArn) ?? [];
    group.push(span);
    byGroup.set(span.targetGroupArn, group);
  }
  let n = 0;
  for (const [arn, spans] of byGroup) {
    lines.push(`  section Target group ${mermaidText(targetGroupName(arn))}`);
    for (const span of spans) {
      const name = mermaidText(`target ${span.target} ${span.state}`);
      lines.push(`  ${name} :${healthStatus(span.state)}h${n++}, ${bar(span.start, span.end)}`);
    }
  }
  return ["```mermaid", ...lines, "```"].join("\n");
}
