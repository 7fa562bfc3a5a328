/** Events as plain log lines, for the action's grouped log and the CLI. Every value from AWS is made inert. */

import type { CageEvent } from "../engine/events.js";
import { formatDuration } from "../shared/duration.js";
import { inert as i } from "../shared/inert.js";
import { evaluationText } from "./metric-evaluations.js";
import { shortTaskId, targetGroupName } from "./timeline.js";

export function eventLine(event: CageEvent, start: number): string {
  return `[+${formatDuration(Math.max(0, event.at - start))}] ${eventText(event)}`;
}

export function eventText(event: CageEvent): string {
  switch (event.type) {
    case "phase-started":
      return `${event.phase} started${event.detail ? `: ${event.detail}` : ""}`;
    case "phase-finished":
      return `${event.phase} ${event.outcome === "ok" ? "done" : event.outcome}${event.detail ? `: ${event.detail}` : ""}`;
    case "task-status": {
      const stop = [event.stopCode, event.stoppedReason].filter(Boolean).map(i).join(": ");
      const exits = (event.containers ?? [])
        .filter((c) => c.exitCode !== undefined || c.reason)
        .map((c) => `${i(c.name)} exited ${c.exitCode ?? "?"}${c.reason ? ` (${i(c.reason)})` : ""}`);
      return [`task ${i(shortTaskId(event.taskArn))} is ${i(event.lastStatus)}`, stop, ...exits]
        .filter(Boolean)
        .join("; ");
    }
    case "container-health":
      return `container ${i(event.container)} of task ${i(shortTaskId(event.taskArn))} is ${i(event.health)}`;
    case "target-health": {
      const why = [event.reason, event.description].filter(Boolean).map(i).join(": ");
      return `target ${i(event.targetId)}:${event.port} in ${i(targetGroupName(event.targetGroupArn))} is ${i(event.state)}${why ? ` (${why})` : ""}`;
    }
    case "deployment":
      return `deployment ${i(event.deploymentId)} ${i(event.rolloutState)}: ${event.runningCount}/${event.desiredCount} running${event.failedTasks ? `, ${event.failedTasks} failed` : ""}${event.reason ? ` (${i(event.reason)})` : ""}`;
    case "resource":
      return `${event.kind} ${i(event.id)}`;
    case "cleanup":
      return `cleanup: ${event.action} ${i(event.target)} ${event.outcome}${event.message ? `: ${event.message}` : ""}`;
    case "alarm-state":
      return `alarm ${i(event.alarm)} is ${i(event.state)}${event.reason ? ` (${i(event.reason)})` : ""}`;
    case "metric-evaluation":
      return `metric ${evaluationText(event)}`;
    case "notice":
      return event.message;
    case "heartbeat":
      return `${event.phase}: ${event.message}`;
    case "verdict":
      return `${event.result}: ${event.message}`;
  }
}
