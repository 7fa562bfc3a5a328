/**
 * Lifecycle hooks of native deployments: PAUSE hooks wait in AWAITING_ACTION for ContinueServiceDeployment or
 * their timeout; AWS_LAMBDA hooks answer as the world's `lambdas` say. All hooks of a stage must succeed before
 * the deployment leaves it.
 */
import type { DeploymentLifecycleHook } from "@aws-sdk/client-ecs";
import type { Deployment, HookDetail, WorldState } from "./state.js";

const MINUTE = 60_000;
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

export type HookVerdict = { go: true } | { go: false; wait: true } | { go: false; wait: false; reason: string };

function hooksOf(d: Deployment): DeploymentLifecycleHook[] {
  return d.configuration.lifecycleHooks ?? [];
}

function hookId(state: WorldState, type: string): string {
  const n = state.ids.digits(40);
  const tail = [...n].map((c, i) => ID_CHARS[(Number(c) * 7 + i * 13) % ID_CHARS.length]).join("");
  return `ecs-${type === "PAUSE" ? "pause" : "lambda"}-${tail}`;
}

function functionName(arn: string): string {
  return arn.startsWith("arn:") ? (arn.split(":")[6] ?? arn) : arn;
}

function start(
  state: WorldState,
  hook: DeploymentLifecycleHook,
  index: number,
  stage: string,
  now: number,
): HookDetail {
  const type = hook.targetType ?? "AWS_LAMBDA";
  const timeout = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
  const detail: HookDetail = {
    stage,
    hookIndex: index,
    hookId: hookId(state, type),
    targetType: type,
    status: type === "PAUSE" ? "AWAITING_ACTION" : "IN_PROGRESS",
    expiresAt: now + timeout * MINUTE,
    timeoutAction: hook.timeoutConfiguration?.action ?? "ROLLBACK",
  };
  if (type === "AWS_LAMBDA") {
    const arn = hook.hookTargetArn ?? "";
    const behaviour = state.lambdas.get(arn) ?? state.lambdas.get(functionName(arn));
    detail.targetArn = arn;
    detail.answer = behaviour?.outcome ?? "SUCCEEDED";
    detail.answersAt = now + (behaviour?.seconds ?? 0) * 1000;
  }
  return detail;
}

/** Settles a hook's state at `now`: a Lambda's answer, or a timeout. */
function settle(detail: HookDetail, now: number): void {
  if (detail.status !== "AWAITING_ACTION" && detail.status !== "IN_PROGRESS") return;
  if (detail.answersAt !== undefined && detail.answersAt <= now && detail.answersAt < detail.expiresAt!) {
    detail.status = detail.answer!;
  } else if (detail.expiresAt !== undefined && now >= detail.expiresAt) {
    detail.status = "TIMED_OUT";
  }
}

/** Runs the hooks of the deployment's current stage; whether it may leave the stage, wait, or must roll back. */
export function runHooks(state: WorldState, d: Deployment, now: number): HookVerdict {
  const stage = d.lifecycleStage ?? "";
  d.hookDetails ??= [];
  hooksOf(d).forEach((hook, i) => {
    if (!hook.lifecycleStages?.includes(stage as never)) return;
    if (d.hookDetails!.some((h) => h.stage === stage && h.hookIndex === i)) return;
    d.hookDetails!.push(start(state, hook, i, stage, now));
    state.agenda.changed();
  });
  const here = d.hookDetails.filter((h) => h.stage === stage);
  for (const h of here) settle(h, now);
  for (const h of here) {
    if (h.status === "FAILED") return { go: false, wait: false, reason: `Lifecycle hook ${h.hookId} failed.` };
    if (h.status === "TIMED_OUT" && h.timeoutAction === "ROLLBACK") {
      return { go: false, wait: false, reason: `Lifecycle hook ${h.hookId} timed out.` };
    }
  }
  const waiting = here.some((h) => h.status === "AWAITING_ACTION" || h.status === "IN_PROGRESS");
  return waiting ? { go: false, wait: true } : { go: true };
}

/** The stages whose hooks ECS runs again when it rolls a deployment back. */
const ROLLBACK_STAGES = ["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"];

/**
 * Runs the Lambda hooks of the rollback's traffic shifts, each answering at once as its function's
 * `rollbackOutcome` says: why the rollback fails, if one of them fails.
 */
export function runRollbackHooks(state: WorldState, d: Deployment, now: number): string | undefined {
  d.hookDetails ??= [];
  let failure: string | undefined;
  hooksOf(d).forEach((hook, i) => {
    const stage = ROLLBACK_STAGES.find((s) => hook.lifecycleStages?.includes(s as never));
    if (!stage || (hook.targetType ?? "AWS_LAMBDA") !== "AWS_LAMBDA") return;
    const detail = start(state, hook, i, `ROLLBACK:${stage}`, now);
    const behaviour = state.lambdas.get(detail.targetArn!) ?? state.lambdas.get(functionName(detail.targetArn!));
    detail.status = behaviour?.rollbackOutcome ?? "SUCCEEDED";
    d.hookDetails!.push(detail);
    if (detail.status === "FAILED")
      failure ??= `lifecycle hook ${detail.hookId} failed during the rollback's ${stage}.`;
  });
  return failure;
}

/** When a hook of the deployment next changes by itself: a Lambda's answer or an expiry. */
export function nextHookEvent(d: Deployment, after: number): number | undefined {
  let next: number | undefined;
  for (const h of d.hookDetails ?? []) {
    if (h.status !== "AWAITING_ACTION" && h.status !== "IN_PROGRESS") continue;
    for (const t of [h.answersAt, h.expiresAt]) {
      if (t !== undefined && t > after && (next === undefined || t < next)) next = t;
    }
  }
  return next;
}

/** The hook as DescribeServiceDeployments shows it. */
export function hookView(h: HookDetail) {
  return {
    hookId: h.hookId,
    targetType: h.targetType,
    ...(h.targetArn ? { targetArn: h.targetArn } : {}),
    status: h.status,
    ...(h.expiresAt !== undefined ? { expiresAt: new Date(h.expiresAt) } : {}),
    ...(h.timeoutAction ? { timeoutAction: h.timeoutAction } : {}),
  };
}
