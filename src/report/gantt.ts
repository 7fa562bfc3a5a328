/** The run as a mermaid gantt chart: one section of phases, one section per target group's health. */
import type { CageEvent } from "../engine/events.js";
import { healthSpans, phaseSpans, targetGroupName } from "./timeline.js";

/** Mermaid reads task names up to `:` and sections to the end of line; keep only characters that cannot break that. */
export function mermaidText(value: string, max = 60): string {
  const clean = value
    .replace(/[^\p{L}\p{N} ._/()-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.slice(0, max) || "unnamed";
}

const PHASE_STATUS = { ok: "done, ", failed: "crit, ", skipped: "" } as const;

function healthStatus(state: string): string {
  if (state === "healthy") return "done, ";
  if (state === "unhealthy") return "crit, ";
  return "active, ";
}

/** The fenced mermaid block, or an empty string when there are no phases to draw. */
/** Whole milliseconds (mermaid's `x` format drops a bar with a fraction), at least 1 ms long. */
function bar(start: number, end: number): string {
  const from = Math.round(start);
  return `${from}, ${Math.max(Math.round(end), from + 1)}`;
}

export function renderGantt(events: readonly CageEvent[]): string {
  const phases = phaseSpans(events);
  if (phases.length === 0) return "";
  // No `title`: mermaid sanitizes titles with DOMPurify (no DOM under Node), and the heading above names the chart.
  const lines = ["gantt", "  dateFormat x", "  axisFormat %H:%M:%S", "  section Phases"];
  phases.forEach((span, i) => {
    const status = span.outcome ? PHASE_STATUS[span.outcome] : "active, ";
    lines.push(`  ${mermaidText(span.phase)} :${status}p${i}, ${bar(span.start, span.end)}`);
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
