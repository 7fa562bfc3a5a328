/** Creating services and deployments; the scheduler (scheduler.ts) moves them. */
import type {
  AdvancedConfiguration,
  DeploymentConfiguration,
  LoadBalancer as LoadBalancerInput,
} from "@aws-sdk/client-ecs";
import { SimError } from "../types.js";
import { ruleOf } from "./listeners.js";
import type { Deployment, Service, ServiceLoadBalancer, TaskDefinition, WorldState } from "./state.js";

export type DeploymentTemplate = Pick<
  Deployment,
  | "taskDefinitionArn"
  | "desiredCount"
  | "launchType"
  | "platformVersion"
  | "subnets"
  | "securityGroups"
  | "assignPublicIp"
  | "loadBalancers"
>;

/** A service's `loadBalancers` as CreateService and UpdateService take them, checked as ECS checks them. */
export function loadBalancersOf(
  state: WorldState,
  td: TaskDefinition,
  input: LoadBalancerInput[],
): ServiceLoadBalancer[] {
  return input.map((lb) => {
    const tg = state.targetGroups.get(lb.targetGroupArn ?? "");
    if (!tg) throw new SimError("InvalidParameterException", `Unable to find target group ${lb.targetGroupArn}.`);
    if (tg.loadBalancerArns.length === 0) {
      throw new SimError(
        "InvalidParameterException",
        `The target group with targetGroupArn ${tg.arn} does not have an associated load balancer.`,
      );
    }
    if (lb.advancedConfiguration) checkAdvanced(state, lb.advancedConfiguration);
    const container = td.containers.find((c) => c.name === lb.containerName);
    if (!container?.portMappings?.some((p) => p.containerPort === lb.containerPort)) {
      throw new SimError(
        "InvalidParameterException",
        `The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`,
      );
    }
    return {
      targetGroupArn: tg.arn,
      containerName: lb.containerName!,
      containerPort: lb.containerPort!,
      ...(lb.advancedConfiguration ? { advancedConfiguration: structuredClone(lb.advancedConfiguration) } : {}),
    };
  });
}

/** A blue/green load balancer's alternate target group, listener rules and role, as ECS checks them. */
function checkAdvanced(state: WorldState, advanced: AdvancedConfiguration): void {
  const alternate = state.targetGroups.get(advanced.alternateTargetGroupArn ?? "");
  if (!alternate) {
    throw new SimError("InvalidParameterException", `Unable to find target group ${advanced.alternateTargetGroupArn}.`);
  }
  if (!advanced.productionListenerRule) {
    throw new SimError("InvalidParameterException", "productionListenerRule is required in advancedConfiguration.");
  }
  for (const arn of [advanced.productionListenerRule, advanced.testListenerRule]) {
    if (arn !== undefined && !ruleOf(state, arn)) {
      throw new SimError("InvalidParameterException", `Unable to find listener rule or listener ${arn}.`);
    }
  }
  if (!advanced.roleArn?.startsWith("arn:aws:iam::")) {
    throw new SimError("InvalidParameterException", "roleArn in advancedConfiguration must be an IAM role ARN.");
  }
}

export const sameLoadBalancers = (a: ServiceLoadBalancer[], b: ServiceLoadBalancer[]): boolean =>
  a.length === b.length &&
  a.every(
    (x, i) =>
      x.targetGroupArn === b[i]!.targetGroupArn &&
      x.containerName === b[i]!.containerName &&
      x.containerPort === b[i]!.containerPort &&
      JSON.stringify(x.advancedConfiguration) === JSON.stringify(b[i]!.advancedConfiguration),
  );

/** The service's deploymentConfiguration as DescribeServices shows it. */
export function deploymentConfigurationOf(svc: Service): DeploymentConfiguration {
  return {
    deploymentCircuitBreaker: { ...svc.circuitBreaker },
    maximumPercent: svc.maximumPercent,
    minimumHealthyPercent: svc.minimumHealthyPercent,
    ...structuredClone(svc.deploymentExtras),
  };
}

/** A deployment still in progress when a newer one starts: ECS stops it. */
export function supersede(d: Deployment, now: number): void {
  if (d.serviceDeploymentStatus !== "IN_PROGRESS" && d.serviceDeploymentStatus !== "PENDING") return;
  d.serviceDeploymentStatus = "STOPPED";
  d.serviceDeploymentReason = "Replaced by a new service deployment";
  d.finishedAt = now;
  d.stoppedAt = now;
  d.updatedAt = now;
}

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
    supersede(previous, now);
  }
  const resource = `${svc.clusterName}/${svc.name}`;
  // As on AWS, the revision's ARN ends in the deployment's number: `ecs-svc/<N>` made `service-revision/…/<N>`.
  const n = state.ids.digits(19);
  const id = `ecs-svc/${n}`;
  const deployment: Deployment = {
    id,
    serviceDeploymentArn: state.arn("ecs", `service-deployment/${resource}/${state.ids.hex(22)}`),
    revisionArn: state.arn("ecs", `service-revision/${resource}/${n}`),
    taskDefinitionArn: template.taskDefinitionArn,
    desiredCount: template.desiredCount,
    status: "PRIMARY",
    rolloutState: "IN_PROGRESS",
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    failedTasks: 0,
    launchFailures: 0,
    launchType: template.launchType,
    platformVersion: template.platformVersion,
    subnets: template.subnets,
    securityGroups: template.securityGroups,
    assignPublicIp: template.assignPublicIp,
    loadBalancers: template.loadBalancers,
    configuredLoadBalancers: template.loadBalancers,
    configuration: deploymentConfigurationOf(svc),
    serviceDeploymentStatus: "IN_PROGRESS",
    sourceRevisionArns: previous ? [previous.revisionArn] : [],
  };
  svc.deployments.unshift(deployment);
  svc.loadBalancers = template.loadBalancers;
  svc.launchAfter = undefined;
  return deployment;
}
