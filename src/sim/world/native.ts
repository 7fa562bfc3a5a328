/**
 * ECS's native blue/green, linear and canary deployments: the green fleet at full size in the idle target group,
 * test traffic, the production shift (in steps for linear and canary, with a bake between them), the bake, and
 * the clean-up of blue. Stages with nothing to wait for pass at once, so a look may skip some, as on AWS.
 */
import type { DeploymentConfiguration } from "@aws-sdk/client-ecs";
import { failDeployment } from "./breaker.js";
import { nextHookEvent, runHooks } from "./hooks.js";
import { healthyCountOf } from "./scheduler-health.js";
import type { Deployment, Service, WorldState } from "./state.js";
import { groupsOf, pairsOf, productionGroupOf, shiftProduction, shiftTest } from "./traffic.js";

export const STAGES = [
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
  "BAKE_TIME",
  "CLEAN_UP",
] as const;
export type Stage = (typeof STAGES)[number];

const MINUTE = 60_000;
const NATIVE = ["BLUE_GREEN", "LINEAR", "CANARY"];

export const isNativeStrategy = (config: DeploymentConfiguration): boolean => NATIVE.includes(config.strategy ?? "");
export const isNative = (d: Deployment): boolean => d.lifecycleStage !== undefined;
const at = (d: Deployment): number => STAGES.indexOf(d.lifecycleStage as Stage);

/** Until clean-up, a native deployment keeps blue running beside green (and no surge limit applies). */
export const holdsBlue = (d: Deployment): boolean => isNative(d) && d.lifecycleStage !== "CLEAN_UP";
/** Green starts at SCALE_UP. */
export const launchesGreen = (d: Deployment): boolean => !isNative(d) || at(d) >= STAGES.indexOf("SCALE_UP");

/** The production shares green goes through: all at once, linear steps, or the canary percent first. */
export function trafficSteps(config: DeploymentConfiguration): number[] {
  if (config.strategy === "LINEAR") {
    const step = config.linearConfiguration?.stepPercent ?? 10;
    const steps: number[] = [];
    for (let p = step; p < 100 - 1e-9; p += step) steps.push(Math.round(p * 10) / 10);
    return [...steps, 100];
  }
  if (config.strategy === "CANARY") return [config.canaryConfiguration?.canaryPercent ?? 5, 100];
  return [100];
}

function stepBakeMinutes(config: DeploymentConfiguration): number {
  if (config.strategy === "LINEAR") return config.linearConfiguration?.stepBakeTimeInMinutes ?? 6;
  if (config.strategy === "CANARY") return config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10;
  return 0;
}

/**
 * Makes a new deployment native: its tasks go to the target group of each pair that does not serve production
 * now (the first deployment of a service uses the one that does), and it starts at RECONCILE_SERVICE.
 */
export function startNative(state: WorldState, svc: Service, d: Deployment, now: number): void {
  const live = svc.deployments.find((x) => x !== d && x.serviceDeploymentStatus === "SUCCESSFUL");
  d.loadBalancers = d.configuredLoadBalancers.map((lb, i) => {
    const pair = groupsOf(lb);
    if (!pair) return { ...lb };
    const before = live?.loadBalancers[i]?.targetGroupArn;
    const production = before && pair.includes(before) ? before : productionGroupOf(state, lb);
    const green = live ? (production === pair[0] ? pair[1] : pair[0]) : production;
    return { ...lb, targetGroupArn: green };
  });
  d.lifecycleStage = "RECONCILE_SERVICE";
  d.trafficWeights = { production: 0, test: 0 };
  d.stageEndsAt = undefined;
  d.updatedAt = now;
}

function enter(d: Deployment, stage: Stage, now: number): void {
  d.lifecycleStage = stage;
  d.updatedAt = now;
  d.stageEndsAt = undefined;
}

function shiftTo(state: WorldState, d: Deployment, percent: number, now: number): void {
  shiftProduction(state, pairsOf(d), percent);
  d.trafficWeights = { production: percent, test: d.trafficWeights?.test ?? 0 };
  const more = percent < 100 ? stepBakeMinutes(d.configuration) : 0;
  d.stageEndsAt = more > 0 ? now + more * MINUTE : undefined;
  d.updatedAt = now;
}

/** Moves the primary native deployment through as many stages as it can at `now`. */
export function stepNative(state: WorldState, svc: Service, d: Deployment, now: number): void {
  if (!isNative(d) || d.serviceDeploymentStatus !== "IN_PROGRESS" || d.status !== "PRIMARY") return;
  for (;;) {
    const stage = d.lifecycleStage as Stage;
    if (d.stageEndsAt !== undefined && now < d.stageEndsAt) return;
    if (stage === "SCALE_UP" && healthyCountOf(state, svc, d, now) < d.desiredCount) return;
    if (stage === "PRODUCTION_TRAFFIC_SHIFT") {
      const next = trafficSteps(d.configuration).find((p) => p > (d.trafficWeights?.production ?? 0));
      if (next !== undefined) {
        shiftTo(state, d, next, now);
        continue;
      }
    }
    if (stage === "CLEAN_UP") return;
    const hooks = runHooks(state, d, now);
    if (!hooks.go) {
      if (!hooks.wait) rollBackNative(state, svc, d, now, hooks.reason);
      return;
    }
    const following = STAGES[at(d) + 1]!;
    enter(d, following, now);
    state.agenda.changed();
    if (following === "TEST_TRAFFIC_SHIFT") {
      shiftTest(state, pairsOf(d), 100);
      d.trafficWeights = { production: d.trafficWeights?.production ?? 0, test: 100 };
    }
    if (following === "BAKE_TIME") {
      const bake = d.configuration.bakeTimeInMinutes ?? 0;
      if (bake > 0) d.stageEndsAt = now + bake * MINUTE;
    }
  }
}

/** A failed hook, a hook's rollback, or a stop: back to blue, as ECS rolls back. */
export function rollBackNative(state: WorldState, svc: Service, d: Deployment, now: number, reason: string): void {
  failDeployment(state, svc, d, now, {
    reason,
    rollback: true,
    rollbackReason: `${reason} Rolling back to the last completed deployment.`,
  });
  state.agenda.changed();
}

/** When the native deployment next moves by itself (the end of a bake, a hook's answer or expiry). */
export function nextNativeEvent(svc: Service, after: number): number | undefined {
  const d = svc.deployments.find((x) => x.status === "PRIMARY");
  if (!d || !isNative(d) || d.serviceDeploymentStatus !== "IN_PROGRESS") return undefined;
  const bake = d.stageEndsAt !== undefined && d.stageEndsAt > after ? d.stageEndsAt : undefined;
  const hook = nextHookEvent(d, after);
  if (bake === undefined) return hook;
  return hook === undefined ? bake : Math.min(bake, hook);
}
