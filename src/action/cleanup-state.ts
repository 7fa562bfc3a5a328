/**
 * What the main step started and has not cleaned up yet, saved as step state after every change so the post step
 * can finish the job when the main step was canceled or killed.
 */
import type { CageEvent } from "../engine/events.js";
import type { CommandResult } from "../engine/settings.js";

export const STATE_CLEANUP = "cleanup";
export const STATE_FINISHED = "finished";

type ResourceEvent = Extract<CageEvent, { type: "resource" }>;

export interface PendingCleanup {
  region: string;
  cluster: string;
  service: string;
  runId: string;
  /** RunTask or StartTask went out: a task may exist even before its ARN was recorded. */
  launched: boolean;
  /** The main step's `resource` events for the tasks and target registrations not cleaned up yet. */
  recorded: ResourceEvent[];
  /** Calls canceled in flight whose answer never came: the post step gives them time to show before it looks. */
  unsettled?: { operation: string; sentAt: number }[];
}

const TRACKED = new Set<ResourceEvent["kind"]>(["canary-task", "target-registration", "run-task"]);

export class CleanupTracker {
  readonly pending: PendingCleanup;
  /** Everything recorded, cleaned up or not. */
  private readonly seen: ResourceEvent[] = [];
  private launchedEver = false;

  constructor(
    target: Pick<PendingCleanup, "region" | "cluster" | "service" | "runId">,
    private readonly save: (name: string, value: string) => void,
  ) {
    this.pending = { ...target, launched: false, recorded: [] };
  }

  track(event: CageEvent): void {
    const before = JSON.stringify(this.pending);
    const p = this.pending;
    if (event.type === "phase-started" && (event.phase === "canary-start" || event.phase === "run-task")) {
      p.launched = true;
      this.launchedEver = true;
    } else if (event.type === "resource" && TRACKED.has(event.kind)) {
      if (!p.recorded.some((r) => r.kind === event.kind && r.id === event.id)) p.recorded.push(event);
      if (!this.seen.some((r) => r.kind === event.kind && r.id === event.id)) this.seen.push(event);
    } else if (event.type === "cleanup" && event.outcome === "done") {
      if (event.action === "stop") {
        p.recorded = p.recorded.filter((r) => r.kind === "target-registration" || r.id !== event.target);
        if (!p.recorded.some((r) => r.kind !== "target-registration")) p.launched = false;
      } else {
        p.recorded = p.recorded.filter((r) => r.kind !== "target-registration" || !deregistered(r, event.target));
      }
    }
    if (JSON.stringify(p) !== before) this.save(STATE_CLEANUP, JSON.stringify(p));
  }

  /**
   * The engine returned, so it ran its own cleanup: the post step has nothing to do, unless a call's answer never
   * came. Then what that call did may show later, so the post step gets all this run started, to check each again.
   */
  concluded(result: Pick<CommandResult, "unsettled">): void {
    if (!result.unsettled?.length) {
      this.save(STATE_FINISHED, "true");
      return;
    }
    const p = this.pending;
    p.unsettled = result.unsettled;
    p.launched = this.launchedEver;
    p.recorded = [...this.seen];
    this.save(STATE_CLEANUP, JSON.stringify(p));
  }
}

/** The engine names a deregistration `<target group arn> (<id>:<port>, …)`. */
function deregistered(r: ResourceEvent, label: string): boolean {
  const d = r.detail ?? {};
  return label.startsWith(String(d.targetGroupArn)) && label.includes(`${d.targetId}:${d.port}`);
}

/** Something may be left behind: a task was launched, or something recorded is not cleaned up. */
export function hasWork(pending: PendingCleanup): boolean {
  return pending.launched || pending.recorded.length > 0;
}

/** When the last call whose answer never came was sent (ms since the epoch), if any. */
export function lastUnsettled(pending: PendingCleanup): number | undefined {
  const calls = Array.isArray(pending.unsettled) ? pending.unsettled : [];
  const times = calls.map((u) => Number(u?.sentAt)).filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

export function parsePending(text: string): PendingCleanup | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as PendingCleanup;
    const valid =
      typeof value.cluster === "string" &&
      typeof value.service === "string" &&
      typeof value.runId === "string" &&
      Array.isArray(value.recorded);
    return valid ? value : undefined;
  } catch {
    return undefined;
  }
}
