/** The CLI's live log: one line per event, with the time elapsed since the command started. Values from AWS are inert. */

import type { CageEvent } from "../engine/events.js";
import { evaluationText } from "../report/metric-evaluations.js";
import { formatDuration } from "../shared/duration.js";
import { inert as i } from "../shared/inert.js";

function shortArn(arn: string): string {
  const slash = arn.lastIndexOf("/");
  return i(slash >= 0 ? arn.slice(slash + 1) : arn);
}

export function describeEvent(e: CageEvent): string {
  switch (e.type) {
    case "phase-started":
      return `▶ ${e.phase}${e.detail ? `: ${e.detail}` : ""}`;
    case "phase-finished":
      return `${e.outcome === "ok" ? "✔" : e.outcome === "skipped" ? "–" : "✘"} ${e.phase} ${e.outcome}${e.detail ? `: ${e.detail}` : ""}`;
    case "task-status": {
      const parts = [`task ${shortArn(e.taskArn)} is ${i(e.lastStatus)}`];
      if (e.stopCode) parts.push(`stopCode ${i(e.stopCode)}`);
      if (e.stoppedReason) parts.push(i(e.stoppedReason));
      for (const c of e.containers ?? []) {
        if (c.exitCode !== undefined || c.reason) {
          parts.push(
            `container ${i(c.name)}${c.exitCode !== undefined ? ` exited ${c.exitCode}` : ""}${c.reason ? ` (${i(c.reason)})` : ""}`,
          );
        }
      }
      return parts.join("; ");
    }
    case "container-health":
      return `container ${i(e.container)} of task ${shortArn(e.taskArn)} is ${i(e.health)}`;
    case "target-health":
      return `target ${i(e.targetId)}:${e.port} in ${shortArn(e.targetGroupArn.replace(/\/[0-9a-f]+$/, ""))} is ${i(e.state)}${e.reason ? ` (${i(e.reason)}${e.description ? `: ${i(e.description)}` : ""})` : ""}`;
    case "deployment":
      return `deployment ${i(e.deploymentId)} ${i(e.rolloutState)}: ${e.runningCount}/${e.desiredCount} running${e.failedTasks ? `, ${e.failedTasks} failed` : ""}${e.reason ? ` (${i(e.reason)})` : ""}`;
    case "resource":
      return `started ${e.kind} ${i(e.id)}`;
    case "alarm-state":
      return `alarm ${i(e.alarm)} is ${i(e.state)}${e.reason ? ` (${i(e.reason)})` : ""}`;
    case "metric-evaluation":
      return `metric ${evaluationText(e)}`;
    case "cleanup":
      return `cleanup: ${e.action} ${i(e.target)} ${e.outcome}${e.message ? `: ${e.message}` : ""}`;
    case "notice":
      return `${e.level === "warning" ? "warning: " : ""}${e.message}`;
    case "heartbeat":
      return `… ${e.phase}: ${e.message}`;
    case "verdict":
      return `${e.result === "succeeded" ? "🎉" : "✘"} ${e.result}: ${e.message}`;
  }
}

export function logLine(e: CageEvent, startedAt: number): string {
  return `[${formatDuration(Math.max(0, e.at - startedAt)).padStart(8)}] ${describeEvent(e)}`;
}
