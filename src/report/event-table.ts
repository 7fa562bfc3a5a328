/** The compact event table: one row per event (heartbeats left out), time relative to the first event. */

import type { CageEvent } from "../engine/events.js";
import { formatDuration } from "../shared/duration.js";
import { clip, code, escapeText, prose, table } from "./escape.js";
import { evaluationText } from "./metric-evaluations.js";
import { shortTaskId, targetGroupName } from "./timeline.js";

export function describeEvent(event: CageEvent): [string, string] {
  const t = (value: unknown) => escapeText(clip(value, 300));
  /** cage's own text, whose code spans are shown as code. */
  const said = (value: string) => prose(clip(value, 300));
  switch (event.type) {
    case "phase-started":
      return [`▶ ${event.phase}`, t(event.detail ?? "")];
    case "phase-finished":
      return [
        `${event.outcome === "ok" ? "✔" : event.outcome === "failed" ? "✖" : "⏭"} ${event.phase}`,
        said(event.detail ?? ""),
      ];
    case "task-status": {
      const stopped = [event.stopCode, event.stoppedReason].filter(Boolean).join(": ");
      const exits = (event.containers ?? [])
        .filter((c) => c.exitCode !== undefined || c.reason)
        .map((c) => `${c.name} exit ${c.exitCode ?? "?"}${c.reason ? ` (${c.reason})` : ""}`);
      return [
        `task ${t(event.lastStatus)}`,
        [code(shortTaskId(event.taskArn)), t(stopped), t(exits.join(", "))].filter(Boolean).join(" "),
      ];
    }
    case "container-health":
      return [`container ${t(event.health)}`, `${t(event.container)} in ${code(shortTaskId(event.taskArn))}`];
    case "target-health": {
      const why = [event.reason, event.description].filter(Boolean).join(": ");
      return [
        `target ${t(event.state)}`,
        `${t(targetGroupName(event.targetGroupArn))} ${t(event.targetId)}:${event.port} ${t(why)}`.trim(),
      ];
    }
    case "deployment":
      return [
        `deployment ${t(event.rolloutState)}`,
        `${code(event.deploymentId)} ${event.runningCount}/${event.desiredCount} running${event.failedTasks ? `, ${event.failedTasks} failed` : ""}${event.reason ? ` ${t(event.reason)}` : ""}`,
      ];
    case "resource":
      return [`${t(event.kind)}`, code(event.id)];
    case "cleanup":
      return [
        `cleanup ${t(event.action)} ${t(event.outcome)}`,
        `${code(event.target)} ${said(event.message ?? "")}`.trim(),
      ];
    case "alarm-state":
      return [`alarm ${t(event.state)}`, `${t(event.alarm)} ${t(event.reason ?? "")}`.trim()];
    case "metric-evaluation":
      return [`metric ${event.outcome}`, t(evaluationText(event))];
    case "notice":
      return [event.level === "warning" ? "⚠ warning" : "ℹ note", said(event.message)];
    case "heartbeat":
      return [`… ${event.phase}`, said(event.message)];
    case "verdict":
      return [`verdict ${t(event.result)}`, said(event.message)];
  }
}

export function renderEventTable(events: readonly CageEvent[], maxRows: number): string {
  const shown = events.filter((event) => event.type !== "heartbeat");
  if (shown.length === 0) return "";
  const start = shown[0]?.at ?? 0;
  const rows = shown
    .slice(0, maxRows)
    .map((event) => [`+${formatDuration(event.at - start)}`, ...describeEvent(event)]);
  const more = shown.length - rows.length;
  const note = more > 0 ? `\n\n${more} more events are in the \`timeline-json\` output.` : "";
  return `${table(["Time", "Event", "Detail"], rows)}${note}`;
}
