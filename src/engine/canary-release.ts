/**
 * Takes the canary out: deregister from every target group it was registered to, let the drain finish where it
 * carried traffic, stop the task, wait for STOPPED. Never throws: every problem is reported and returned.
 */

import { formatDuration } from "../shared/duration.js";
import type { Canary, Registration } from "./canary.js";
import { CageError, isAwsError } from "./errors.js";
import { callAws, waitFor } from "./polling.js";
import { cleanupSession, errorText, type Session } from "./session.js";
import type { TargetGroupInfo } from "./targets.js";

export interface ReleaseOptions {
  /** Wait for draining to end before stopping (targets that carried traffic only). */
  drain: boolean;
  /** Budget for STOPPED after StopTask. */
  stopTimeout: number;
  groups: ReadonlyMap<string, TargetGroupInfo>;
  reason: string;
  /** What the task is called in the log: a canary, or a `run` task. */
  noun?: string;
}

export interface ReleaseOutcome {
  ok: boolean;
  problems: string[];
}

const DRAIN_POLL_MS = 2_000;
const DRAIN_MARGIN_MS = 60_000;
const DEFAULT_DELAY_MS = 300_000;
const STOP_POLL_MS = 3_000;

/**
 * `session` carries the command's cancellation: if it is canceled while draining, the canary is stopped at once.
 * Calls themselves run without it, so cleanup is never cut short by the cancellation it is cleaning up after.
 */
export async function releaseCanary(
  session: Session,
  canary: Canary,
  options: ReleaseOptions,
): Promise<ReleaseOutcome> {
  const quiet = cleanupSession(session, options.stopTimeout + maxDelay(canary, options) + 2 * DRAIN_MARGIN_MS);
  const problems: string[] = [];
  session.emit({ type: "phase-started", phase: "cleanup", detail: canary.taskArn });
  const deregisteredAt = quiet.clock.now();
  const deregistered = await deregister(quiet, canary.registrations, problems);
  const serving = deregistered.filter(
    (r) => r.lastState === undefined || r.lastState === "healthy" || r.lastState === "draining",
  );
  if (options.drain && serving.length > 0) {
    const canceled = session.signal?.aborted;
    if (canceled) {
      session.emit({
        type: "notice",
        level: "warning",
        message: "Canceled: stopping the canary without waiting for its targets to drain.",
      });
    } else {
      await waitForDrain(session, quiet, serving, deregisteredAt, options).catch((error: unknown) => {
        if (error instanceof CageError && error.kind === "canceled") {
          session.emit({
            type: "notice",
            level: "warning",
            message: "Canceled: stopping the canary before its targets finished draining.",
          });
          return;
        }
        problems.push(errorText(error));
      });
    }
  }
  // A canary already stopped (found by a later cleanup) only needed its targets removed.
  if (!canary.stopRequested) await stop(quiet, canary, options, problems);
  session.emit({
    type: "phase-finished",
    phase: "cleanup",
    outcome: problems.length === 0 ? "ok" : "failed",
    detail:
      problems.length === 0
        ? `${options.noun ?? "canary"} ${canary.taskArn} deregistered and stopped`
        : problems.join("; "),
  });
  return { ok: problems.length === 0, problems };
}

function maxDelay(canary: Canary, options: ReleaseOptions): number {
  return Math.max(
    0,
    ...canary.registrations.map((r) => options.groups.get(r.targetGroupArn)?.deregistrationDelayMs ?? DEFAULT_DELAY_MS),
  );
}

async function deregister(
  session: Session,
  registrations: Registration[],
  problems: string[],
): Promise<Registration[]> {
  const done: Registration[] = [];
  const byGroup = new Map<string, Registration[]>();
  for (const r of registrations) byGroup.set(r.targetGroupArn, [...(byGroup.get(r.targetGroupArn) ?? []), r]);
  for (const [group, targets] of byGroup) {
    const label = `${group} (${targets.map((t) => `${t.id}:${t.port}`).join(", ")})`;
    session.emit({ type: "cleanup", action: "deregister", target: label, outcome: "requested" });
    try {
      await callAws(session, "cleanup", "elasticloadbalancing:DeregisterTargets", (signal) =>
        session.aws.elbv2.deregisterTargets(
          {
            TargetGroupArn: group,
            Targets: targets.map((t) => ({
              Id: t.id,
              Port: t.port,
              ...(t.availabilityZone ? { AvailabilityZone: t.availabilityZone } : {}),
            })),
          },
          signal,
        ),
      );
      session.emit({ type: "cleanup", action: "deregister", target: label, outcome: "done" });
      done.push(...targets);
    } catch (error) {
      // A target group deleted meanwhile, or a target never registered: there is nothing left to deregister.
      if (isAwsError(error, "InvalidTarget", "TargetGroupNotFound")) {
        session.emit({
          type: "cleanup",
          action: "deregister",
          target: label,
          outcome: "done",
          message: "was not registered",
        });
        continue;
      }
      const message = `deregistering from ${label} failed: ${errorText(error)}`;
      problems.push(message);
      session.emit({ type: "cleanup", action: "deregister", target: label, outcome: "failed", message });
    }
  }
  return done;
}

/** Sleeps until the longest deregistration delay is over, then looks every 2 s until no target is draining. */
async function waitForDrain(
  session: Session,
  quiet: Session,
  serving: Registration[],
  since: number,
  options: ReleaseOptions,
): Promise<void> {
  const delay = Math.max(
    ...serving.map((r) => options.groups.get(r.targetGroupArn)?.deregistrationDelayMs ?? DEFAULT_DELAY_MS),
  );
  const watching = { ...quiet, signal: session.signal };
  const drainedAt = since + delay;
  await waitFor(watching, {
    phase: "cleanup",
    waitingFor: "the canary's targets to finish draining",
    timeout: delay + DRAIN_MARGIN_MS,
    setBy: { derived: "the target group's deregistration delay and a minute" },
    interval: () => DRAIN_POLL_MS,
    check: async () => {
      // Nothing to ask AWS before the delay is over; the stable text lets heartbeats through.
      const wait = drainedAt - quiet.clock.now();
      if (wait > 0) {
        return {
          done: false,
          seen: `draining until ${new Date(drainedAt).toISOString()}`,
          next: Math.min(wait, 30_000),
        };
      }
      const left: string[] = [];
      for (const r of serving) {
        const out = await callAws(quiet, "cleanup", "elasticloadbalancing:DescribeTargetHealth", (signal) =>
          quiet.aws.elbv2.describeTargetHealth(
            { TargetGroupArn: r.targetGroupArn, Targets: [{ Id: r.id, Port: r.port }] },
            signal,
          ),
        ).catch((error: unknown) => {
          if (isAwsError(error, "InvalidTarget", "TargetGroupNotFound")) return undefined;
          throw error;
        });
        const state = out?.TargetHealthDescriptions?.[0]?.TargetHealth?.State ?? "unused";
        if (state === "draining") left.push(`${r.id}:${r.port} draining`);
      }
      if (left.length === 0) return { done: true, value: undefined };
      return { done: false, seen: `${left.join(", ")} (delay ${formatDuration(delay)})` };
    },
  });
}

async function stop(session: Session, canary: Canary, options: ReleaseOptions, problems: string[]): Promise<void> {
  const label = canary.taskArn;
  const noun = options.noun ?? "canary";
  session.emit({ type: "cleanup", action: "stop", target: label, outcome: "requested" });
  try {
    await callAws(session, "cleanup", "ecs:StopTask", (signal) =>
      session.aws.ecs.stopTask({ cluster: canary.cluster, task: canary.taskArn, reason: options.reason }, signal),
    );
  } catch (error) {
    // StopTask refuses a task ECS no longer has: whether that is why is read from the task, not the message.
    if ((await taskState(session, canary).catch(() => "unknown")) === "gone") {
      session.emit({ type: "cleanup", action: "stop", target: label, outcome: "done", message: "already gone" });
      return;
    }
    failed(session, label, `stopping ${noun} task ${label} failed: ${errorText(error)}`, problems);
    return;
  }
  canary.stopRequested = true;
  try {
    await waitFor(session, {
      phase: "cleanup",
      waitingFor: `the ${noun} task to stop`,
      timeout: options.stopTimeout,
      setBy: "taskStopped",
      interval: () => STOP_POLL_MS,
      check: async () => {
        const state = await taskState(session, canary);
        return state === "gone" ? { done: true, value: undefined } : { done: false, seen: state };
      },
    });
    session.emit({ type: "cleanup", action: "stop", target: label, outcome: "done" });
  } catch (error) {
    failed(session, label, `stopping ${noun} task ${label} failed: ${errorText(error)}`, problems);
  }
}

function failed(session: Session, label: string, message: string, problems: string[]): void {
  problems.push(message);
  session.emit({ type: "cleanup", action: "stop", target: label, outcome: "failed", message });
}

/** "gone" when the task is STOPPED or ECS no longer knows it; else its last status. */
async function taskState(session: Session, canary: Canary): Promise<string> {
  const out = await callAws(session, "cleanup", "ecs:DescribeTasks", (signal) =>
    session.aws.ecs.describeTasks({ cluster: canary.cluster, tasks: [canary.taskArn] }, signal),
  );
  const task = out.tasks?.[0];
  if (!task || task.lastStatus === "STOPPED") return "gone";
  return task.lastStatus ?? "UNKNOWN";
}
