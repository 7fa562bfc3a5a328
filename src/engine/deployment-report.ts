/** What a followed service deployment's end says: the root cause first, in one sentence. */
import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import type { ServiceDeploymentEnd } from "./service-deployment.js";
import type { Session } from "./session.js";

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Why a deployment did not pass, naming the alarm, the circuit breaker's count, the hook or the superseding ARN. */
export function describeEnd(deployment: string, end: ServiceDeploymentEnd): string {
  switch (end.state) {
    case "ROLLED_BACK":
      return end.deployment.status === "ROLLBACK_FAILED"
        ? `Deployment ${deployment} failed and ECS's rollback failed: ${sentence(end.reason)}`
        : `Deployment ${deployment} failed and ECS rolled it back: ${sentence(end.reason)}`;
    case "SUPERSEDED":
      return `Deployment ${deployment} was replaced before it completed: ${sentence(end.reason)}`;
    case "STOPPED":
      return `Deployment ${deployment} was stopped: ${sentence(end.reason)}`;
    case "FAILED":
      return `Deployment ${deployment} FAILED: ${sentence(end.reason)}`;
    default:
      return `Deployment ${deployment} ended ${end.state}.`;
  }
}

/** The deployment as read back after the follow stopped without an end. */
export function readBackSentence(d: ServiceDeployment): string {
  const stage = d.lifecycleStage ? ` at ${inert(d.lifecycleStage)}` : "";
  const weight = d.targetServiceRevision?.requestedProductionTrafficWeight;
  const traffic = weight !== undefined ? `, ${weight}% of production traffic on the new revision` : "";
  return `Read back: service deployment ${inert(d.serviceDeploymentArn ?? "?")} is ${inert(d.status ?? "UNKNOWN")}${stage}${traffic}.`;
}

/** Where a follow stopped at a PAUSE hook (wait-until paused): the verdict and outputs of a rollout and a `continue`. */
export interface Paused {
  result: "paused";
  message: string;
  serviceDeploymentArn?: string;
  lifecycleStage?: string;
  hookId: string;
  hookExpiresAt?: Date;
}

export function pausedVerdict(
  session: Session,
  service: string,
  arn: string | undefined,
  end: Extract<ServiceDeploymentEnd, { state: "PAUSED" }>,
): Paused {
  return {
    result: "paused",
    message: pausedMessage(session, service, arn, end),
    ...(arn ? { serviceDeploymentArn: arn } : {}),
    ...(end.stage ? { lifecycleStage: end.stage } : {}),
    hookId: end.hookId,
    ...(end.expiresAt ? { hookExpiresAt: end.expiresAt } : {}),
  };
}

function pausedMessage(
  session: Session,
  service: string,
  arn: string | undefined,
  end: Extract<ServiceDeploymentEnd, { state: "PAUSED" }>,
): string {
  const until = end.expiresAt ? ` until ${end.expiresAt.toISOString()}` : "";
  return `Service '${service}' is paused at ${inert(end.stage || "a lifecycle stage")}: service deployment ${inert(arn ?? "?")} waits at hook ${inert(end.hookId)}${until} (${session.naming.input("wait-until")}: paused). Continue it with ${session.naming.command("continue")} or roll it back with ${session.naming.command("rollback")}; at expiry ECS takes the hook's timeout action.`;
}
