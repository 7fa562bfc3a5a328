/**
 * What `continue` and `rollback` do to a service's current native deployment: the one call to send, decided from
 * the deployment as read, or a refusal before anything is changed.
 */
import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import { callOnceThenCheck } from "./polling.js";
import type { Session } from "./session.js";

export type NativeCommand = "continue" | "rollback";

export type NativeAction =
  | { call: "continue"; serviceDeploymentArn: string; hookId: string; action: "CONTINUE" | "ROLLBACK" }
  | { call: "stop"; serviceDeploymentArn: string };

const IN_FLIGHT = new Set(["PENDING", "IN_PROGRESS"]);

/** The verb a refusal uses: "Nothing to roll back". */
export const VERB: Record<NativeCommand, string> = { continue: "continue", rollback: "roll back" };

function pausedHookId(deployment: ServiceDeployment): string | undefined {
  return deployment.lifecycleHookDetails?.find((hook) => hook.status === "AWAITING_ACTION")?.hookId;
}

/** The service a refusal names: `'web' in cluster 'production'`. */
export function serviceLabel(target: { cluster: string; service: string }): string {
  return `service '${inert(target.service)}' in cluster '${inert(target.cluster)}'`;
}

/** Statuses of a deployment that is already being stopped or rolled back. */
const ENDING = new Set(["STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"]);

/** How a refusal names the service (see serviceLabel), the command and the wait-until input, in the front end's form. */
export interface Naming {
  service: string;
  command: string;
  waitUntil: string;
}

/** Decides the call; throws a refusal when the deployment gives the command nothing to act on. */
export function planNativeAction(
  command: NativeCommand,
  deployment: ServiceDeployment | undefined,
  named: Naming = { service: "the service", command, waitUntil: "wait-until" },
): NativeAction {
  const service = named.service;
  const arn = deployment?.serviceDeploymentArn;
  if (deployment === undefined || arn === undefined) {
    throw new CageError(
      "refused",
      "preflight",
      `Nothing to ${VERB[command]}: ${service} has no service deployment in flight.`,
      `Start one first (a rollout with ${named.waitUntil} paused), or check the service and cluster named.`,
    );
  }
  const status = deployment.status ?? "UNKNOWN";
  const hookId = pausedHookId(deployment);
  if (hookId !== undefined && IN_FLIGHT.has(status)) {
    return {
      call: "continue",
      serviceDeploymentArn: arn,
      hookId,
      action: command === "continue" ? "CONTINUE" : "ROLLBACK",
    };
  }
  if (command === "rollback" && IN_FLIGHT.has(status)) return { call: "stop", serviceDeploymentArn: arn };
  const doing = IN_FLIGHT.has(status)
    ? "in progress, and no lifecycle hook of it is AWAITING_ACTION"
    : ENDING.has(status)
      ? "already being stopped or rolled back"
      : "no longer in flight";
  throw new CageError(
    "refused",
    "preflight",
    `Nothing to ${VERB[command]}: ${service} has service deployment ${inert(arn)}, which is ${inert(status)}${deployment.lifecycleStage ? ` (${inert(deployment.lifecycleStage)})` : ""}: ${doing}.`,
    command === "continue"
      ? `Run ${named.command} only while a PAUSE hook waits (a rollout with ${named.waitUntil} paused stops there).`
      : "Read how it ended in the ECS console; to go back from a completed deployment, roll out the previous revision.",
  );
}

/** Whether the deployment as read back shows the action taken: its hook answered, or the deployment ending. */
export function tookEffect(action: NativeAction, deployment: ServiceDeployment | undefined): boolean {
  if (!deployment) return false;
  if (!IN_FLIGHT.has(deployment.status ?? "")) return true;
  if (action.call === "stop") return false;
  const hook = deployment.lifecycleHookDetails?.find((h) => h.hookId === action.hookId);
  return hook !== undefined && hook.status !== "AWAITING_ACTION";
}

/**
 * Sends the planned call as a mutating call (a cancel with its answer lost becomes an UnsettledCallError). After a
 * transient failure the deployment is read back (`readBack`): if it shows the action taken, the answer was only
 * lost and the call is not sent again; if not, it is sent again. The caller follows the deployment to its end.
 */
export async function sendNativeAction(
  session: Session,
  action: NativeAction,
  readBack: () => Promise<ServiceDeployment | undefined>,
): Promise<void> {
  const arn = action.serviceDeploymentArn;
  const taken = async () => (tookEffect(action, await readBack()) ? true : undefined);
  if (action.call === "continue") {
    await callOnceThenCheck(
      session,
      "deployment",
      "ecs:ContinueServiceDeployment",
      async (signal) => {
        await session.aws.ecs.continueServiceDeployment(
          { serviceDeploymentArn: arn, hookId: action.hookId, action: action.action },
          signal,
        );
        return true;
      },
      taken,
    );
    return;
  }
  await callOnceThenCheck(
    session,
    "rollback",
    "ecs:StopServiceDeployment",
    async (signal) => {
      await session.aws.ecs.stopServiceDeployment({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }, signal);
      return true;
    },
    taken,
  );
}
