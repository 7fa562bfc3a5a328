/**
 * What the main step started and has not cleaned up yet, saved as step state after every change so the post step
 * can finish the job when the main step was canceled or killed.
 */
import type { CageEvent } from "../engine/events.js";

export const STATE_CLEANUP = "cleanup";
export const STATE_FINISHED = "finished";

export interface PendingCleanup {
  region: string;
  cluster: string;
  tasks: string[];
  registrations: { targetGroupArn: string; targetId: string; port?: number }[];
}

export class CleanupTracker {
  readonly pending: PendingCleanup;

  constructor(
    region: string,
    cluster: string,
    private readonly save: (name: string, value: string) => void,
  ) {
    this.pending = { region, cluster, tasks: [], registrations: [] };
  }

  track(event: CageEvent): void {
    const before = JSON.stringify(this.pending);
    if (event.type === "resource" && event.kind === "canary-task") {
      if (typeof event.detail?.cluster === "string") this.pending.cluster = event.detail.cluster;
      if (!this.pending.tasks.includes(event.id)) this.pending.tasks.push(event.id);
    } else if (event.type === "resource" && event.kind === "target-registration") {
      const detail = event.detail ?? {};
      this.pending.registrations.push({
        targetGroupArn: String(detail.targetGroupArn ?? event.id),
        targetId: String(detail.targetId ?? ""),
        port: detail.port === undefined ? undefined : Number(detail.port),
      });
    } else if (event.type === "cleanup" && event.outcome === "done") {
      if (event.action === "stop") this.pending.tasks = this.pending.tasks.filter((task) => task !== event.target);
      else this.pending.registrations = this.pending.registrations.filter((r) => !deregistered(r, event.target));
    }
    if (JSON.stringify(this.pending) !== before) this.save(STATE_CLEANUP, JSON.stringify(this.pending));
  }

  finished(): void {
    this.save(STATE_FINISHED, "true");
  }
}

/** The engine names a deregistration `<target group arn> (<id>:<port>, …)`. */
function deregistered(r: PendingCleanup["registrations"][number], target: string): boolean {
  return target.startsWith(r.targetGroupArn) && target.includes(`${r.targetId}:${r.port}`);
}

export function parsePending(text: string): PendingCleanup | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as PendingCleanup;
    return Array.isArray(value.tasks) && Array.isArray(value.registrations) ? value : undefined;
  } catch {
    return undefined;
  }
}
