/** Creating services and deployments; the scheduler (scheduler.ts) moves them. */
import type { Deployment, Service, WorldState } from "./state.js";

export type DeploymentTemplate = Pick<
  Deployment,
  | "taskDefinitionArn"
  | "desiredCount"
  | "launchType"
  | "platformVersion"
  | "subnets"
  | "securityGroups"
  | "assignPublicIp"
>;

/** A new PRIMARY deployment; the previous PRIMARY turns ACTIVE and drains as the new one rolls out. */
export function createDeployment(
  state: WorldState,
  svc: Service,
  template: DeploymentTemplate,
  now: number,
): Deployment {
  const previous = svc.deployments.find((d) => d.status === "PRIMARY");
  if (previous) {
    previous.status = "ACTIVE";
    previous.updatedAt = now;
    if (previous.serviceDeploymentStatus === "IN_PROGRESS") {
      previous.serviceDeploymentStatus = "STOPPED";
      previous.serviceDeploymentReason = "Superseded by a newer deployment.";
      previous.finishedAt = now;
    }
  }
  const resource = `${svc.clusterName}/${svc.name}`;
  const id = `ecs-svc/${state.ids.digits(19)}`;
  const deployment: Deployment = {
    id,
    serviceDeploymentArn: state.arn("ecs", `service-deployment/${resource}/${state.ids.hex(22)}`),
    revisionArn: state.arn("ecs", `service-revision/${resource}/${state.ids.digits(19)}`),
    taskDefinitionArn: template.taskDefinitionArn,
    desiredCount: template.desiredCount,
    status: "PRIMARY",
    rolloutState: "IN_PROGRESS",
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    failedTasks: 0,
    launchType: template.launchType,
    platformVersion: template.platformVersion,
    subnets: template.subnets,
    securityGroups: template.securityGroups,
    assignPublicIp: template.assignPublicIp,
    serviceDeploymentStatus: "IN_PROGRESS",
    sourceRevisionArns: previous ? [previous.revisionArn] : [],
  };
  svc.deployments.unshift(deployment);
  svc.launchAfter = undefined;
  return deployment;
}
