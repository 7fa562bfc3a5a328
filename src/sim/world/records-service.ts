/** The world's records of ECS services and their deployments. */
import type { AdvancedConfiguration, DeploymentConfiguration, Tag } from "@aws-sdk/client-ecs";

export interface Deployment {
  id: string;
  serviceDeploymentArn: string;
  revisionArn: string;
  taskDefinitionArn: string;
  desiredCount: number;
  status: "PRIMARY" | "ACTIVE" | "INACTIVE";
  rolloutState: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  startedAt: number;
  finishedAt?: number;
  failedTasks: number;
  /** Tasks that stopped before RUNNING, whatever the rollout state: ECS's service throttle counts them. */
  launchFailures: number;
  lastFailureAt?: number;
  /** The stoppedReason of its last task that failed. */
  lastFailureReason?: string;
  launchType: "FARGATE" | "EC2";
  platformVersion?: string;
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: "ENABLED" | "DISABLED";
  /** Target groups this deployment's tasks register with (blue/green: the resolved, alternating ones). */
  loadBalancers: ServiceLoadBalancer[];
  /** The service's `loadBalancers` as configured when the deployment started (its revision's). */
  configuredLoadBalancers: ServiceLoadBalancer[];
  /** The service's deployment configuration when the deployment started. */
  configuration: DeploymentConfiguration;
  /** The ServiceDeployments API's view; a rollback reuses the failed deployment's record. */
  serviceDeploymentStatus: string;
  serviceDeploymentReason?: string;
  sourceRevisionArns: string[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** When a user stopped it, or it failed without rolling back. */
  stoppedAt?: number;
  /** Blue/green, linear and canary only: the lifecycle stage it is in (a rolling deployment reports none). */
  lifecycleStage?: string;
  /** The end of the bake (or linear/canary step bake) the deployment is in. */
  stageEndsAt?: number;
  hookDetails?: HookDetail[];
  /** The revision's requested shares of production and test traffic (blue/green, linear, canary). */
  trafficWeights?: { production: number; test: number };
  breakerTripped?: boolean;
  triggeredAlarmNames?: string[];
  /** Set on the deployment ECS creates to roll back: the failed deployment's id. */
  rollbackOf?: string;
  warnedUnableToStart?: boolean;
}

export interface ServiceLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  advancedConfiguration?: AdvancedConfiguration;
}

export interface HookDetail {
  /** The lifecycle stage it runs at and its index in lifecycleHooks (not shown by ECS). */
  stage: string;
  hookIndex: number;
  /** When a Lambda hook's answer comes (from the world's `lambdas`). */
  answersAt?: number;
  answer?: "SUCCEEDED" | "FAILED";
  hookId: string;
  targetType: "AWS_LAMBDA" | "PAUSE";
  targetArn?: string;
  status: "AWAITING_ACTION" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  expiresAt?: number;
  timeoutAction?: "CONTINUE" | "ROLLBACK";
}

export interface Service {
  arn: string;
  name: string;
  clusterName: string;
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
  desiredCount: number;
  launchType: "FARGATE" | "EC2";
  /** The primary deployment's. */
  loadBalancers: ServiceLoadBalancer[];
  minimumHealthyPercent: number;
  maximumPercent: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** The rest of deploymentConfiguration as given (strategy, bakeTimeInMinutes, alarms, lifecycleHooks, ...). */
  deploymentExtras: Omit<
    DeploymentConfiguration,
    "maximumPercent" | "minimumHealthyPercent" | "deploymentCircuitBreaker"
  >;
  healthCheckGracePeriodSeconds: number;
  createdAt: number;
  /** CreateService's client token: the same token again returns this service instead of failing. */
  clientToken?: string;
  tags: Tag[];
  events: { id: string; createdAt: number; message: string }[];
  /** Every deployment ever made, newest first; INACTIVE ones only show in the ServiceDeployments API. */
  deployments: Deployment[];
  /** Extra CreateService members echoed back by DescribeServices. */
  extra: Record<string, unknown>;
  /** Targets the scheduler registered, per task ARN. */
  targets: Map<string, { targetGroupArn: string; id: string; port: number }[]>;
  /** The scheduler waits until then before launching again after failures. */
  launchAfter?: number;
}
