/**
 * A native deployment in flight, read from ECS's service deployments: DescribeServices' `deployments` may already
 * look settled while ECS still bakes, waits on a hook, or rolls back, and a new UpdateService would supersede it.
 */
import type { ServiceDeploymentStatus } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";
import type { Target } from "./settings.js";

/** Statuses of a service deployment that has not ended. */
export const IN_FLIGHT: ServiceDeploymentStatus[] = [
  "PENDING",
  "IN_PROGRESS",
  "ROLLBACK_REQUESTED",
  "ROLLBACK_IN_PROGRESS",
  "STOP_REQUESTED",
];

/** Why the service's native deployments keep it busy, or undefined when none is in flight. */
export async function nativeBusyReason(session: Session, target: Target): Promise<string | undefined> {
  const out = await callAws(session, "preflight", "ecs:ListServiceDeployments", (signal) =>
    session.aws.ecs.listServiceDeployments(
      { cluster: target.cluster, service: target.service, status: IN_FLIGHT },
      signal,
    ),
  );
  const open = out.serviceDeployments ?? [];
  if (open.length === 0) return undefined;
  const list = open.map((d) => `${inert(d.serviceDeploymentArn)} (${inert(d.status)})`).join(", ");
  return `a service deployment is in flight: ${list}`;
}
