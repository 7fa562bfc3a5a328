/**
 * Service revisions and service deployments as ECS describes them: one revision per deployment (a rollback
 * reuses the revision it returns to), each deployment from its source revisions to its target revision.
 */
import type * as ECS from "@aws-sdk/client-ecs";
import { failureThreshold } from "./breaker.js";
import { hookView } from "./hooks.js";
import { isStopRequested, statusAt } from "./lifecycle.js";
import { holdsBlue } from "./native.js";
import { tasksOf } from "./services.js";
import type { Deployment, Service, WorldState } from "./state.js";

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** The deployments the ServiceDeployments API shows: ECS's own rollback deployments are folded into the failed one. */
export const serviceDeploymentsOf = (svc: Service): Deployment[] => svc.deployments.filter((d) => !d.rollbackOf);

/** The deployment that made the revision (the oldest with that ARN). */
export function revisionOrigin(svc: Service, revisionArn: string): Deployment | undefined {
  return svc.deployments.findLast((d) => d.revisionArn === revisionArn);
}

export function revisionSummary(
  state: WorldState,
  svc: Service,
  revisionArn: string,
  now: number,
  during?: { d: Deployment; side: "target" | "source" },
): ECS.ServiceRevisionSummary {
  const deployments = svc.deployments.filter((d) => d.revisionArn === revisionArn).map((d) => d.id);
  const tasks = tasksOf(state, svc).filter(
    (t) => deployments.includes(t.deploymentId ?? "") && !isStopRequested(t, now),
  );
  const live = svc.deployments.find((d) => d.revisionArn === revisionArn && d.status !== "INACTIVE");
  // In a native deployment, blue keeps its tasks until clean-up and the two sides share the traffic.
  const native = during?.d.trafficWeights;
  const weights =
    native && during.side === "source" ? { production: 100 - native.production, test: 100 - native.test } : native;
  const holding = during?.side === "source" && during.d.status === "PRIMARY" && holdsBlue(during.d);
  return {
    arn: revisionArn,
    requestedTaskCount: live?.status === "PRIMARY" || holding ? (live?.desiredCount ?? 0) : 0,
    runningTaskCount: tasks.filter((t) => statusAt(t, now) === "RUNNING").length,
    pendingTaskCount: tasks.filter((t) => statusAt(t, now) !== "RUNNING").length,
    ...(weights
      ? { requestedProductionTrafficWeight: weights.production, requestedTestTrafficWeight: weights.test }
      : {}),
  };
}

/** The revisions with tasks wanted or still running, for DescribeServices' currentServiceRevisions. */
export function currentRevisions(state: WorldState, svc: Service, now: number): ECS.ServiceCurrentRevisionSummary[] {
  const arns = new Set(svc.deployments.filter((d) => d.status !== "INACTIVE").map((d) => d.revisionArn));
  return [...arns].map((arn) => {
    const { requestedTaskCount, runningTaskCount, pendingTaskCount } = revisionSummary(state, svc, arn, now);
    return { arn, requestedTaskCount, runningTaskCount, pendingTaskCount };
  });
}

function monitorStatus(enabled: boolean, tripped: boolean, done: boolean): ECS.ServiceDeploymentRollbackMonitorsStatus {
  if (!enabled) return "DISABLED";
  if (tripped) return "TRIGGERED";
  return done ? "MONITORING_COMPLETE" : "MONITORING";
}

export function serviceDeploymentView(
  state: WorldState,
  svc: Service,
  d: Deployment,
  now: number,
): ECS.ServiceDeployment {
  const done = d.finishedAt !== undefined;
  return {
    serviceDeploymentArn: d.serviceDeploymentArn,
    serviceArn: svc.arn,
    clusterArn: state.arn("ecs", `cluster/${svc.clusterName}`),
    createdAt: date(d.createdAt),
    startedAt: date(d.startedAt),
    updatedAt: date(d.updatedAt),
    finishedAt: date(d.finishedAt),
    stoppedAt: date(d.stoppedAt),
    sourceServiceRevisions: d.sourceRevisionArns.map((arn) =>
      revisionSummary(state, svc, arn, now, { d, side: "source" }),
    ),
    targetServiceRevision: revisionSummary(state, svc, d.revisionArn, now, { d, side: "target" }),
    status: d.serviceDeploymentStatus as ECS.ServiceDeploymentStatus,
    statusReason: d.serviceDeploymentReason,
    ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage as ECS.ServiceDeploymentLifecycleStage } : {}),
    lifecycleHookDetails: (d.hookDetails ?? []).map(hookView),
    deploymentConfiguration: structuredClone(d.configuration),
    rollback: d.rollback ? { ...d.rollback, startedAt: date(d.rollback.startedAt) } : undefined,
    deploymentCircuitBreaker: {
      status: monitorStatus(d.configuration.deploymentCircuitBreaker?.enable ?? false, d.breakerTripped === true, done),
      failureCount: d.failedTasks,
      threshold: failureThreshold(d.desiredCount),
    },
    alarms: {
      status: monitorStatus(
        (d.configuration.alarms?.enable ?? false) && (d.configuration.alarms?.alarmNames?.length ?? 0) > 0,
        (d.triggeredAlarmNames?.length ?? 0) > 0,
        done,
      ),
      alarmNames: [...(d.configuration.alarms?.alarmNames ?? [])],
      triggeredAlarmNames: [...(d.triggeredAlarmNames ?? [])],
    },
  };
}

export function serviceDeploymentBrief(state: WorldState, svc: Service, d: Deployment): ECS.ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: d.serviceDeploymentArn,
    serviceArn: svc.arn,
    clusterArn: state.arn("ecs", `cluster/${svc.clusterName}`),
    createdAt: date(d.createdAt),
    startedAt: date(d.startedAt),
    finishedAt: date(d.finishedAt),
    targetServiceRevisionArn: d.revisionArn,
    status: d.serviceDeploymentStatus as ECS.ServiceDeploymentStatus,
    statusReason: d.serviceDeploymentReason,
  };
}

export function serviceRevisionView(state: WorldState, svc: Service, d: Deployment): ECS.ServiceRevision {
  const td = state.taskDefinitions.get(d.taskDefinitionArn);
  const active = svc.deployments.some((x) => x.revisionArn === d.revisionArn && x.status !== "INACTIVE");
  return {
    serviceRevisionArn: d.revisionArn,
    serviceArn: svc.arn,
    clusterArn: state.arn("ecs", `cluster/${svc.clusterName}`),
    taskDefinition: d.taskDefinitionArn,
    launchType: d.launchType,
    ...(d.launchType === "FARGATE" ? { platformVersion: d.platformVersion ?? "LATEST", platformFamily: "Linux" } : {}),
    loadBalancers: d.configuredLoadBalancers.map((lb) => structuredClone(lb)),
    serviceRegistries: [],
    ...(d.subnets.length > 0
      ? {
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: d.subnets,
              securityGroups: d.securityGroups,
              assignPublicIp: d.assignPublicIp,
            },
          },
        }
      : {}),
    containerImages: (td?.containers ?? []).map((c) => ({ containerName: c.name, image: c.image })),
    guardDutyEnabled: false,
    createdAt: date(d.createdAt),
    // ECS resolves the configuration only for a revision that is still active.
    ...(active
      ? {
          resolvedConfiguration: {
            loadBalancers: d.loadBalancers.map((lb, i) => ({
              targetGroupArn: lb.targetGroupArn,
              ...(d.configuredLoadBalancers[i]?.advancedConfiguration?.productionListenerRule
                ? {
                    productionListenerRule: d.configuredLoadBalancers[i]!.advancedConfiguration!.productionListenerRule,
                  }
                : {}),
            })),
          },
        }
      : {}),
  };
}
