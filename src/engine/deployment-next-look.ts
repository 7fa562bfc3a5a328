/**
 * When to look at a native service deployment again, sooner than the usual interval when its next move is due: a
 * bake (or a linear / canary step bake) ends at a known time, and a running hook or a rollback ends any moment.
 */
import type { ServiceDeployment } from "@aws-sdk/client-ecs";

/** While a hook runs or a rollback is under way, the deployment can end at any look. */
export const ENDING_POLL_MS = 2_000;
/** A look this long after a bake's end: ECS moves on at the end, not before. */
const AFTER_BAKE_MS = 250;
const MINUTE = 60_000;

const ENDING = new Set(["ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"]);

/** The bake under way and its length in ms: the final bake, or the bake after a partial production shift. */
function bakeOf(d: ServiceDeployment): number | undefined {
  const config = d.deploymentConfiguration;
  if (d.lifecycleStage === "BAKE_TIME") return (config?.bakeTimeInMinutes ?? 0) * MINUTE;
  const weight = d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
  if (d.lifecycleStage !== "PRODUCTION_TRAFFIC_SHIFT" || weight <= 0 || weight >= 100) return undefined;
  if (config?.strategy === "LINEAR") return (config.linearConfiguration?.stepBakeTimeInMinutes ?? 0) * MINUTE;
  if (config?.strategy === "CANARY") return (config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 0) * MINUTE;
  return undefined;
}

/** Ms until the next look, never later than `usual`; `now` is the engine's clock. */
export function nextLook(d: ServiceDeployment | undefined, usual: number, now: number): number {
  if (!d) return usual;
  const hookRunning = (d.lifecycleHookDetails ?? []).some((h) => h.status === "IN_PROGRESS");
  if (hookRunning || ENDING.has(d.status ?? "")) return Math.min(usual, ENDING_POLL_MS);
  const bake = bakeOf(d);
  const since = d.updatedAt?.getTime();
  if (bake === undefined || since === undefined) return usual;
  const due = since + bake + AFTER_BAKE_MS - now;
  return due > 0 ? Math.min(usual, due) : usual;
}
