/**
 * What `rollback` of a ROLLING service with no deployment in flight goes back to: the task definition the service
 * ran before its latest completed deployment, or a refusal before anything is changed.
 */
import type { Service, ServiceDeployment } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import { shortTaskDefinition } from "./labels.js";
import { serviceLabel } from "./native-action.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";
import type { Target } from "./settings.js";

export interface PreviousRevision {
  taskDefinitionArn: string;
  /** `family:revision`, for the log and the summary. */
  label: string;
  /** The completed deployment that replaced it. */
  replacedBy: string;
}

/** Completed deployments looked at, newest first: one call (DescribeServiceDeployments takes up to 20). */
const LOOK_BACK = 10;

/**
 * The service deployments' source revisions, not the family's revision before the current one: that one may never
 * have run in this service (a canary that failed registered it, or another service shares the family), while a
 * source revision is what ECS itself recorded the service running before a deployment it completed. Deployments
 * that only restarted the current revision (force-new-deployment) are passed over.
 */
export async function previousRevision(session: Session, target: Target, live: Service): Promise<PreviousRevision> {
  const current = live.taskDefinition ?? "";
  const refuse = (why: string, fix: string) =>
    new CageError("refused", "preflight", `Nothing to roll back: ${serviceLabel(target)} ${why}.`, fix);
  const rollOut = `Roll out the revision wanted with ${session.naming.command("rollout")} and ${session.naming.input("task-definition-arn")}.`;
  for (const deployment of await completedDeployments(session, target)) {
    const sources = [...(deployment.sourceServiceRevisions ?? [])].sort(
      (a, b) => (b.runningTaskCount ?? 0) - (a.runningTaskCount ?? 0),
    );
    const arns = sources.flatMap((s) => (s.arn ? [s.arn] : []));
    if (arns.length === 0) continue;
    const revisions = await callAws(session, "preflight", "ecs:DescribeServiceRevisions", (signal) =>
      session.aws.ecs.describeServiceRevisions({ serviceRevisionArns: arns }, signal),
    );
    const byArn = new Map((revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]));
    const taskDefinitionArn = arns.map((arn) => byArn.get(arn)).find((td) => td && td !== current);
    if (!taskDefinitionArn) continue;
    const label = shortTaskDefinition(taskDefinitionArn);
    const status = await taskDefinitionStatus(session, taskDefinitionArn);
    if (status !== "ACTIVE") {
      throw refuse(
        `would go back to ${inert(label)}, which ran before service deployment ${inert(deployment.serviceDeploymentArn ?? "?")}, but that revision is ${inert(status)}`,
        `An INACTIVE revision cannot be deployed again. ${rollOut}`,
      );
    }
    return { taskDefinitionArn, label, replacedBy: deployment.serviceDeploymentArn ?? "" };
  }
  throw refuse(
    `has no completed service deployment that replaced an earlier revision than ${inert(shortTaskDefinition(current))}, so there is no previous revision to go back to`,
    rollOut,
  );
}

async function completedDeployments(session: Session, target: Target): Promise<ServiceDeployment[]> {
  const listed = await callAws(session, "preflight", "ecs:ListServiceDeployments", (signal) =>
    session.aws.ecs.listServiceDeployments(
      { cluster: target.cluster, service: target.service, status: ["SUCCESSFUL"] },
      signal,
    ),
  );
  const arns = [...(listed.serviceDeployments ?? [])]
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
    .flatMap((d) => (d.serviceDeploymentArn ? [d.serviceDeploymentArn] : []))
    .slice(0, LOOK_BACK);
  if (arns.length === 0) return [];
  const described = await callAws(session, "preflight", "ecs:DescribeServiceDeployments", (signal) =>
    session.aws.ecs.describeServiceDeployments({ serviceDeploymentArns: arns }, signal),
  );
  const byArn = new Map((described.serviceDeployments ?? []).map((d) => [d.serviceDeploymentArn, d]));
  return arns.flatMap((arn) => byArn.get(arn) ?? []);
}

async function taskDefinitionStatus(session: Session, arn: string): Promise<string> {
  const out = await callAws(session, "preflight", "ecs:DescribeTaskDefinition", (signal) =>
    session.aws.ecs.describeTaskDefinition({ taskDefinition: arn }, signal),
  );
  return out.taskDefinition?.status ?? "not found";
}
