/**
 * Follows one ECS service deployment by its ARN (ListServiceDeployments / DescribeServiceDeployments), on every
 * strategy: ROLLING, BLUE_GREEN, LINEAR and CANARY.
 */
import type { ServiceDeployment, ServiceDeploymentStatus } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { nextLook } from "./deployment-next-look.js";
import { deploymentPollMs } from "./deployment-watch.js";
import type { Phase } from "./events.js";
import { callAws, type Poll, waitFor } from "./polling.js";
import { ChangeLog, type EventBody, type Session } from "./session.js";
import type { Target } from "./settings.js";

export type WaitUntil = "deployed" | "traffic-shifted" | "paused";

const IN_FLIGHT: ServiceDeploymentStatus[] = [
  "PENDING",
  "IN_PROGRESS",
  "STOP_REQUESTED",
  "ROLLBACK_REQUESTED",
  "ROLLBACK_IN_PROGRESS",
];

/** Ends that are not a success: their event carries the root cause (alarm, circuit breaker, hook). */
const ENDED_BADLY = new Set(["STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"]);

/** Stages from production at 100% on: for wait-until traffic-shifted. */
const SHIFTED_STAGES = new Set(["POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"]);

export type ServiceDeploymentEnd =
  | { state: "SUCCESSFUL"; deployment: ServiceDeployment }
  | { state: "TRAFFIC_SHIFTED"; deployment: ServiceDeployment; stage: string }
  | { state: "PAUSED"; deployment: ServiceDeployment; stage: string; hookId: string; expiresAt?: Date }
  | {
      state: "FAILED" | "ROLLED_BACK" | "STOPPED" | "SUPERSEDED";
      deployment: ServiceDeployment;
      reason: string;
      supersededBy?: string;
    };

export interface FindOptions {
  /** Only deployments created at or after this time (ms): those of the UpdateService just sent. */
  since?: number;
  /** A deployment not to count as created since then: the one followed, when looking for a newer one. */
  except?: string;
  /**
   * The `ecs-svc/<N>` id UpdateService answered with: the deployment whose target revision ends in `/<N>` is the
   * update's own, whoever else deployed at the same time.
   */
  deploymentId?: string;
  phase: Phase;
}

export interface Found {
  /** The newest deployment created since `since`, if any. */
  created?: string;
  /** The service's deployment in flight now, if any. */
  inFlight?: string;
}

/** Newest first by createdAt: ListServiceDeployments' order is not a promise. */
function newest(list: { serviceDeploymentArn?: string; createdAt?: Date }[]): string | undefined {
  const sorted = [...list].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return sorted[0]?.serviceDeploymentArn;
}

/** Found by its creation time, not by currentServiceDeployment, which can lag behind the update (ecspresso #945). */
export async function findServiceDeployment(session: Session, target: Target, opts: FindOptions): Promise<Found> {
  const list = async (status?: ServiceDeploymentStatus[], since?: number) => {
    const out = await callAws(session, opts.phase, "ecs:ListServiceDeployments", (signal) =>
      session.aws.ecs.listServiceDeployments(
        {
          cluster: target.cluster,
          service: target.service,
          ...(status ? { status } : {}),
          ...(since !== undefined ? { createdAt: { after: new Date(since) } } : {}),
        },
        signal,
      ),
    );
    return out.serviceDeployments ?? [];
  };
  const inFlight = newest(await list(IN_FLIGHT));
  const since =
    opts.since !== undefined
      ? (await list(undefined, opts.since)).filter((d) => d.serviceDeploymentArn !== opts.except)
      : [];
  const n = opts.deploymentId?.split("/").pop();
  const own = n ? since.find((d) => d.targetServiceRevisionArn?.endsWith(`/${n}`)) : undefined;
  const created = own?.serviceDeploymentArn ?? newest(since);
  return { ...(created ? { created } : {}), ...(inFlight ? { inFlight } : {}) };
}

/** Why a deployment that did not succeed ended: alarms, circuit breaker, a hook, a rollback or a stop. */
export function failureReason(d: ServiceDeployment): string {
  const parts: string[] = [];
  if (d.alarms?.status === "TRIGGERED") {
    const names = (d.alarms.triggeredAlarmNames ?? []).map((n) => inert(n)).join(", ");
    parts.push(`alarm${(d.alarms.triggeredAlarmNames?.length ?? 0) === 1 ? "" : "s"} ${names || "?"} triggered`);
  }
  if (d.deploymentCircuitBreaker?.status === "TRIGGERED") {
    const cb = d.deploymentCircuitBreaker;
    parts.push(`circuit breaker triggered: ${cb.failureCount ?? "?"} failed tasks (threshold ${cb.threshold ?? "?"})`);
  }
  const failedHook = (d.lifecycleHookDetails ?? []).find((h) => h.status === "FAILED" || h.status === "TIMED_OUT");
  if (failedHook) parts.push(`hook ${inert(failedHook.hookId ?? "?")} ${inert(failedHook.status ?? "")}`);
  if (d.rollback?.reason) parts.push(`rollback: ${inert(d.rollback.reason)}`);
  if (d.statusReason) parts.push(inert(d.statusReason));
  return parts.length ? parts.map((p) => p.replace(/\.+$/, "")).join("; ") : `status ${inert(d.status ?? "unknown")}`;
}

/** One look at the deployment: how it ended, or where it is. `newer` is a deployment created after it, if any. */
export function assessServiceDeployment(
  d: ServiceDeployment | undefined,
  waitUntil: WaitUntil,
  newer?: string,
  answeredHook?: string,
): Poll<ServiceDeploymentEnd> {
  if (!d) return { done: true, value: { state: "SUPERSEDED", deployment: {}, reason: "the deployment is gone" } };
  const stage = d.lifecycleStage ?? "";
  switch (d.status) {
    case "SUCCESSFUL":
      return { done: true, value: { state: "SUCCESSFUL", deployment: d } };
    case "ROLLBACK_SUCCESSFUL":
    case "ROLLBACK_FAILED":
      return { done: true, value: { state: "ROLLED_BACK", deployment: d, reason: failureReason(d) } };
    case "STOPPED":
      if (newer)
        return {
          done: true,
          value: { state: "SUPERSEDED", deployment: d, reason: `superseded by ${inert(newer)}`, supersededBy: newer },
        };
      return { done: true, value: { state: "STOPPED", deployment: d, reason: failureReason(d) } };
  }
  if (waitUntil === "paused") {
    // The hook just answered may still read AWAITING_ACTION for a moment: only another one is a new pause.
    const hook = (d.lifecycleHookDetails ?? []).find(
      (h) => h.targetType === "PAUSE" && h.status === "AWAITING_ACTION" && h.hookId !== answeredHook,
    );
    if (hook?.hookId)
      return {
        done: true,
        value: {
          state: "PAUSED",
          deployment: d,
          stage,
          hookId: hook.hookId,
          ...(hook.expiresAt ? { expiresAt: hook.expiresAt } : {}),
        },
      };
  }
  if (waitUntil === "traffic-shifted" && d.status === "IN_PROGRESS" && SHIFTED_STAGES.has(stage)) {
    return { done: true, value: { state: "TRAFFIC_SHIFTED", deployment: d, stage } };
  }
  const weight = d.targetServiceRevision?.requestedProductionTrafficWeight;
  const running = d.targetServiceRevision?.runningTaskCount ?? 0;
  const requested = d.targetServiceRevision?.requestedTaskCount ?? 0;
  return {
    done: false,
    seen: `${d.status}${stage ? ` ${stage}` : ""}: ${running}/${requested} running${weight !== undefined ? `, ${weight}% production` : ""}`,
  };
}

export interface Follow {
  target: Target;
  serviceDeploymentArn: string;
  waitUntil: WaitUntil;
  timeout: number;
  phase: Phase;
  /** How the wait names the deployment (its `ecs-svc/…` id, which the log already showed); the ARN if unset. */
  label?: string;
  /** The PAUSE hook `continue` just answered, which is no new pause. */
  answeredHook?: string;
}

const GOAL: Record<WaitUntil, string> = {
  deployed: "complete",
  "traffic-shifted": "shift production traffic",
  paused: "pause at a lifecycle hook",
};

/** The deployment as an event: its stage, green's counts and weights, and the hook running or waiting. */
export function progressOfServiceDeployment(d: ServiceDeployment, arn: string): EventBody {
  const target = d.targetServiceRevision;
  const hook = (d.lifecycleHookDetails ?? []).find((h) => h.status === "AWAITING_ACTION" || h.status === "IN_PROGRESS");
  return {
    type: "service-deployment",
    serviceDeploymentArn: arn,
    status: d.status ?? "UNKNOWN",
    ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage } : {}),
    runningCount: target?.runningTaskCount ?? 0,
    requestedCount: target?.requestedTaskCount ?? 0,
    ...(target?.requestedProductionTrafficWeight !== undefined
      ? { productionWeight: target.requestedProductionTrafficWeight }
      : {}),
    ...(target?.requestedTestTrafficWeight !== undefined ? { testWeight: target.requestedTestTrafficWeight } : {}),
    ...(hook?.hookId
      ? {
          hook: {
            hookId: hook.hookId,
            status: hook.status ?? "",
            ...(hook.expiresAt ? { expiresAt: hook.expiresAt.getTime() } : {}),
          },
        }
      : {}),
    ...(ENDED_BADLY.has(d.status ?? "")
      ? { reason: failureReason(d) }
      : d.statusReason
        ? { reason: d.statusReason }
        : {}),
  };
}

export async function describeServiceDeployment(
  session: Session,
  phase: Phase,
  arn: string,
): Promise<ServiceDeployment | undefined> {
  const out = await callAws(session, phase, "ecs:DescribeServiceDeployments", (signal) =>
    session.aws.ecs.describeServiceDeployments({ serviceDeploymentArns: [arn] }, signal),
  );
  return out.serviceDeployments?.[0];
}

export async function followServiceDeployment(session: Session, follow: Follow): Promise<ServiceDeploymentEnd> {
  const changes = new ChangeLog(session);
  const start = session.clock.now();
  return waitFor(session, {
    phase: follow.phase,
    waitingFor: `deployment ${follow.label ?? follow.serviceDeploymentArn} to ${GOAL[follow.waitUntil]}`,
    timeout: follow.timeout,
    setBy: "deployment",
    interval: deploymentPollMs,
    check: async () => {
      const d = await describeServiceDeployment(session, follow.phase, follow.serviceDeploymentArn);
      if (d) changes.emit(follow.serviceDeploymentArn, progressOfServiceDeployment(d, follow.serviceDeploymentArn));
      let newer: string | undefined;
      if (d?.status === "STOPPED" && d.createdAt) {
        // At or after its creation: two updates can share a timestamp.
        const found = await findServiceDeployment(session, follow.target, {
          phase: follow.phase,
          since: d.createdAt.getTime(),
          except: follow.serviceDeploymentArn,
        });
        newer = found.created;
      }
      const poll = assessServiceDeployment(d, follow.waitUntil, newer, follow.answeredHook);
      if (poll.done || "failed" in poll) return poll;
      const now = session.clock.now();
      return { ...poll, next: nextLook(d, deploymentPollMs(now - start), now) };
    },
  });
}
