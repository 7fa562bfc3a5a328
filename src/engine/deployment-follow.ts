/**
 * Follows the deployment an UpdateService created, on every strategy: by its service-deployment ARN where ECS lists
 * one, else (no such deployment listed, or the calls not allowed) through DescribeServices' deployments[].
 */
import type { Deployment } from "@aws-sdk/client-ecs";
import { isAccessDenied } from "../aws/errors.js";
import { type DeploymentEnd, watchDeployment } from "./deployment-watch.js";
import { CageError } from "./errors.js";
import type { Phase } from "./events.js";
import { waitFor } from "./polling.js";
import {
  findServiceDeployment,
  followServiceDeployment,
  type ServiceDeploymentEnd,
  type WaitUntil,
} from "./service-deployment.js";
import { errorText, type Session } from "./session.js";
import type { Target } from "./settings.js";

export interface UpdateFollow {
  target: Target;
  /** The `ecs-svc/…` id UpdateService answered with. */
  deploymentId: string;
  /** When ECS created that deployment (its clock, as UpdateService answered), in ms. */
  createdAt: number;
  phase: Phase;
  timeout: number;
  waitUntil: WaitUntil;
  previousTaskDefinition?: string;
  /** Told the ARN as soon as it is found, so a follow that times out can still read the deployment back. */
  onFound?: (serviceDeploymentArn: string) => void;
}

export interface Followed {
  end: ServiceDeploymentEnd;
  /** Unset when the service-deployment model did not answer and DescribeServices was followed instead. */
  serviceDeploymentArn?: string;
}

/** ListServiceDeployments can lag the update by a moment: it is asked again for this long before giving up. */
const LISTED_WITHIN_MS = 15_000;
/** ListServiceDeployments' createdAt filter, a second early: ECS's timestamps and its filter may round. */
const CREATED_SLACK_MS = 1_000;

/** The ARN of the service deployment created at `createdAt`, or undefined (with a notice) when ECS lists none. */
export async function serviceDeploymentOfUpdate(
  session: Session,
  target: Target,
  update: { deploymentId: string; createdAt: number },
  phase: Phase,
): Promise<string | undefined> {
  try {
    return await waitFor(session, {
      phase,
      waitingFor: "the update's service deployment to be listed",
      timeout: LISTED_WITHIN_MS,
      setBy: { derived: "a fixed wait" },
      interval: () => 1_000,
      check: async () => {
        const found = await findServiceDeployment(session, target, {
          phase,
          since: update.createdAt - CREATED_SLACK_MS,
          deploymentId: update.deploymentId,
        });
        return found.created ? { done: true, value: found.created } : { done: false, seen: "none listed yet" };
      },
    });
  } catch (error) {
    if (error instanceof CageError && error.kind === "canceled") throw error;
    // A missing permission is the policy's to fix (iam-policy.json lists it), not a reason to look elsewhere.
    if (error instanceof CageError && error.awsCode !== undefined && isAccessDenied(error.awsCode)) throw error;
    session.emit({
      type: "notice",
      level: "warning",
      message: `No service deployment of the update could be read (${errorText(error)}); following the service's deployments instead, which shows no lifecycle stages or hooks.`,
    });
    return undefined;
  }
}

export async function followUpdate(session: Session, follow: UpdateFollow): Promise<Followed> {
  const arn = await serviceDeploymentOfUpdate(session, follow.target, follow, follow.phase);
  if (arn) {
    follow.onFound?.(arn);
    const end = await followServiceDeployment(session, {
      target: follow.target,
      serviceDeploymentArn: arn,
      waitUntil: follow.waitUntil,
      timeout: follow.timeout,
      phase: follow.phase,
      label: follow.deploymentId,
    });
    return { end, serviceDeploymentArn: arn };
  }
  return { end: await followDeployments(session, follow) };
}

/** The same ends read from DescribeServices: ECS's circuit-breaker rollback is followed to its own end. */
async function followDeployments(session: Session, follow: UpdateFollow): Promise<ServiceDeploymentEnd> {
  const watch = { target: follow.target, phase: follow.phase, timeout: follow.timeout };
  const end = await watchDeployment(session, {
    ...watch,
    deploymentId: follow.deploymentId,
    ...(follow.previousTaskDefinition ? { previousTaskDefinition: follow.previousTaskDefinition } : {}),
  });
  return endOf(end, async (by) => (await watchDeployment(session, { ...watch, deploymentId: by.id ?? "" })).state);
}

async function endOf(
  end: DeploymentEnd,
  rollbackEnd: (by: Deployment) => Promise<DeploymentEnd["state"]>,
): Promise<ServiceDeploymentEnd> {
  switch (end.state) {
    case "COMPLETED":
      return { state: "SUCCESSFUL", deployment: { status: "SUCCESSFUL" } };
    case "FAILED":
      return { state: "STOPPED", deployment: { status: "STOPPED" }, reason: end.reason };
    case "SUPERSEDED":
      return {
        state: "SUPERSEDED",
        deployment: { status: "STOPPED" },
        reason: end.replacedBy?.id ? `superseded by ${end.replacedBy.id}` : end.reason,
        ...(end.replacedBy?.id ? { supersededBy: end.replacedBy.id } : {}),
      };
    case "ROLLED_BACK": {
      const back = end.replacedBy ? await rollbackEnd(end.replacedBy) : "COMPLETED";
      const status = back === "COMPLETED" ? "ROLLBACK_SUCCESSFUL" : "ROLLBACK_FAILED";
      return { state: "ROLLED_BACK", deployment: { status }, reason: `rollback: ${end.reason}` };
    }
  }
}
