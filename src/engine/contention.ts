/**
 * Two rollouts of one service at once both pass preflight before either has a canary. Right after starting its
 * canary each looks again: the run whose canary started first goes on, the other stops its canary and yields.
 */
import type { Task } from "@aws-sdk/client-ecs";
import type { Canary } from "./canary.js";
import { findCanaries } from "./canary-finder.js";
import { CageError } from "./errors.js";
import type { Session } from "./session.js";

/** Earlier creation wins; the ARN breaks a tie the same way in every run. */
export function startedBefore(a: Task, b: Task): boolean {
  const at = a.createdAt?.getTime() ?? 0;
  const bt = b.createdAt?.getTime() ?? 0;
  return at !== bt ? at < bt : (a.taskArn ?? "") < (b.taskArn ?? "");
}

export async function yieldToEarlierCanary(
  session: Session,
  canary: Canary,
  families: string[],
  startedBy: string,
): Promise<void> {
  const canaries = await findCanaries(session, "canary-start", {
    cluster: canary.cluster,
    service: canary.service,
    families,
  });
  const ours = canaries.find((t) => t.taskArn === canary.taskArn);
  if (!ours) return;
  const earlier = canaries.filter((t) => t.startedBy !== startedBy && startedBefore(t, ours));
  const first = earlier[0];
  if (!first) return;
  throw new CageError(
    "refused",
    "canary-start",
    `Another run (startedBy ${first.startedBy ?? "?"}) started a canary for service '${canary.service}' just before this one (${first.taskArn}); this run stands back. The service was not changed.`,
    "Run again once that rollout has finished.",
  );
}
