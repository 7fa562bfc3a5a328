/** The world's records of ECS services and their deployments. */
import type { Tag } from "@aws-sdk/client-ecs";

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
  launchType: "FARGATE" | "EC2";
  platformVersion?: string;
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: "ENABLED" | "DISABLED";
  /** Target groups this deployment's tasks register with (UpdateService can change them). */
  loadBalancers: ServiceLoadBalancer[];
  /** The ServiceDeployments API's view; a rollback reuses the failed deployment's record. */
  serviceDeploymentStatus: string;
  serviceDeploymentReason?: string;
  sourceRevisionArns: string[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** Set on the deployment ECS creates to roll back: the failed deployment's id. */
  rollbackOf?: string;
  warnedUnableToStart?: boolean;
}

export interface ServiceLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
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
