/** Why a command failed, most telling first: the verdict, the canary's stop, exit codes, health, the deployment. */
import type { CageEvent } from "../engine/events.js";
import { clip, code, escapeText, link, prose } from "./escape.js";
import { logStreamUrl } from "./logs.js";
import { shortTaskId, targetGroupName } from "./timeline.js";
import type { Deployed, ReportInput } from "./types.js";

const STOPPING = ["DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"];
const BAD_ENDS = ["STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"];

/** What the reasons are read from: any command's events and result, and what a rollout deployed. */
export type FailureInput = Pick<ReportInput, "events" | "target"> & {
  result: { message: string; evidence?: string[]; canaryTaskArn?: string };
  deployed?: Deployed;
};

export function failureReasons(input: FailureInput): string[] {
  const t = (value: unknown) => escapeText(clip(value, 500));
  const events = input.events;
  const lines: string[] = [];
  // The service deployment's own end names the root cause (the alarm, the circuit breaker, the hook): it goes first.
  const ended = lastOf(events, (e) => e.type === "service-deployment");
  if (ended?.type === "service-deployment" && BAD_ENDS.includes(ended.status)) {
    lines.push(
      `Service deployment ${code(shortTaskId(ended.serviceDeploymentArn))} ended ${t(ended.status)}${ended.reason ? `: ${t(ended.reason.replace(/\.+$/, ""))}` : ""}.`,
    );
  }
  lines.push(...(input.result.evidence ?? []).map((line) => t(line)));

  const stopped = lastOf(events, (e) => e.type === "task-status" && STOPPING.includes(e.lastStatus));
  if (stopped?.type === "task-status") {
    const why = [stopped.stopCode, stopped.stoppedReason].filter(Boolean).join(": ");
    lines.push(`Task ${code(shortTaskId(stopped.taskArn))} stopped${why ? `: ${t(why)}` : ""}.`);
    for (const c of stopped.containers ?? []) {
      if (c.exitCode === undefined && !c.reason) continue;
      const exit = c.exitCode === undefined ? "" : ` exited with code ${c.exitCode}`;
      lines.push(`Container ${code(c.name)}${exit}${c.reason ? `: ${t(c.reason)}` : ""}.`);
    }
  }
  for (const e of lastPerKey(events, "container-health", (e) => `${e.taskArn} ${e.container}`)) {
    if (e.health === "UNHEALTHY") lines.push(`Container ${code(e.container)} reported UNHEALTHY.`);
  }
  for (const e of lastPerKey(events, "target-health", (e) => `${e.targetGroupArn} ${e.targetId} ${e.port}`)) {
    // A target still `initial` explains a timeout, not a task that stopped; `draining` is the cleanup.
    if (e.state === "healthy" || e.state === "draining" || (e.state === "initial" && stopped)) continue;
    const why = [e.reason, e.description].filter(Boolean).join(": ");
    lines.push(
      `Target ${code(`${e.targetId}:${e.port}`)} in ${code(targetGroupName(e.targetGroupArn))} was ${t(e.state)}${why ? `: ${t(why)}` : ""}.`,
    );
  }
  const deployment = lastOf(events, (e) => e.type === "deployment");
  if (deployment?.type === "deployment" && deployment.rolloutState === "FAILED") {
    const failed = deployment.failedTasks ? ` after ${deployment.failedTasks} failed tasks` : "";
    lines.push(
      `Deployment ${code(deployment.deploymentId)} failed${failed}${deployment.reason ? `: ${t(deployment.reason)}` : ""}.`,
    );
  }
  for (const e of events) {
    if (e.type === "notice" && e.level === "warning") lines.push(`⚠ ${prose(clip(e.message, 500))}`);
    if (e.type === "cleanup" && e.outcome === "failed") {
      lines.push(
        `Cleanup could not ${e.action} ${code(e.target)}${e.message ? `: ${prose(clip(e.message, 500))}` : ""}.`,
      );
    }
  }
  lines.push(...logLinks(input));
  return lines;
}

function logLinks(input: FailureInput): string[] {
  const canary = input.result.canaryTaskArn ?? canaryOf(input.events);
  if (!canary) return [];
  const links: string[] = [];
  for (const container of input.deployed?.containers ?? []) {
    if (!container.awslogs) continue;
    const url = logStreamUrl(container.awslogs, container.name, canary, input.target.region);
    if (url) links.push(link(`logs of ${container.name}`, url));
  }
  return links.length > 0 ? [`Canary logs: ${links.join(", ")}.`] : [];
}

function canaryOf(events: readonly CageEvent[]): string | undefined {
  const resource = lastOf(events, (e) => e.type === "resource" && e.kind === "canary-task");
  if (resource?.type === "resource") return resource.id;
  const task = lastOf(events, (e) => e.type === "task-status");
  return task?.type === "task-status" ? task.taskArn : undefined;
}

function lastOf(events: readonly CageEvent[], match: (e: CageEvent) => boolean): CageEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event && match(event)) return event;
  }
  return undefined;
}

function lastPerKey<T extends CageEvent["type"]>(
  events: readonly CageEvent[],
  type: T,
  key: (e: Extract<CageEvent, { type: T }>) => string,
): Extract<CageEvent, { type: T }>[] {
  const last = new Map<string, Extract<CageEvent, { type: T }>>();
  for (const e of events)
    if (e.type === type) last.set(key(e as Extract<CageEvent, { type: T }>), e as Extract<CageEvent, { type: T }>);
  return [...last.values()];
}
