/**
 * Two runs that pass preflight at the same moment both start a canary. Each then looks at the service's live
 * canaries: the one that started later stops and refuses, so exactly one run goes on to update the service.
 */
import type { Task } from "@aws-sdk/client-ecs";
import type { Canary } from "./canary.js";
import { findCanaries } from "./canary-finder.js";
import { CageError } from "./errors.js";
import type { Session } from "./session.js";

/** Earlier start first; the task ARN breaks a tie, so both runs agree on the order. */
function startedBefore(a: Task, b: Task | undefined): boolean {
  const at = a.createdAt?.getTime() ?? 0;
  const bt = b?.createdAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return at !== bt ? at < bt : (a.taskArn ?? "") < (b?.taskArn ?? "");
}

export async function yieldToEarlierCanary(session: Session, canary: Canary): Promise<void> {
  const live = await findCanaries(session, "canary-start", { cluster: canary.cluster, service: canary.service });
  const mine = live.find((t) => t.taskArn === canary.taskArn);
  const earlier = live.filter((t) => t.taskArn !== canary.taskArn && startedBefore(t, mine));
  if (earlier.length === 0) return;
  throw new CageError(
    "refused",
    "canary-start",
    `Service '${canary.service}' is busy: another run started its canary first (${earlier.map((t) => `${t.taskArn} startedBy ${t.startedBy ?? "?"}`).join(", ")}); this run stops its own canary.`,
    "Let that run finish and run again. If that run is dead, remove its canary with `cage cleanup` and run again.",
  );
}
