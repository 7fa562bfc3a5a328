/** Events as plain log lines, for the action's grouped log and the CLI. */
import { formatDuration } from "../engine/duration.js";
import type { CageEvent } from "../engine/events.js";
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
      const stop = [event.stopCode, event.stoppedReason].filter(Boolean).join(": ");
      const exits = (event.containers ?? [])
        .filter((c) => c.exitCode !== undefined || c.reason)
        .map((c) => `${c.name} exited ${c.exitCode ?? "?"}${c.reason ? ` (${c.reason})` : ""}`);
      return [`task ${shortTaskId(event.taskArn)} is ${event.lastStatus}`, stop, ...exits].filter(Boolean).join("; ");
    }
    case "container-health":
      return `container ${event.container} of task ${shortTaskId(event.taskArn)} is ${event.health}`;
    case "target-health": {
      const why = [event.reason, event.description].filter(Boolean).join(": ");
      return `target ${event.targetId}:${event.port} in ${targetGroupName(event.targetGroupArn)} is ${event.state}${why ? ` (${why})` : ""}`;
    }
    case "deployment":
      return `deployment ${event.deploymentId} ${event.rolloutState}: ${event.runningCount}/${event.desiredCount} running${event.failedTasks ? `, ${event.failedTasks} failed` : ""}${event.reason ? ` (${event.reason})` : ""}`;
    case "resource":
      return `${event.kind} ${event.id}`;
    case "cleanup":
      return `cleanup: ${event.action} ${event.target} ${event.outcome}${event.message ? `: ${event.message}` : ""}`;
    case "notice":
      return event.message;
    case "heartbeat":
      return `${event.phase}: ${event.message}`;
    case "verdict":
      return `${event.result}: ${event.message}`;
  }
}
