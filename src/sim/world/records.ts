/** The world's records of EC2 networking, ECS clusters, task definitions and tasks. */
import type { ContainerDefinition, KeyValuePair, Tag, TaskOverride } from "@aws-sdk/client-ecs";
import type { AlarmSpec, ImageBehaviour, IngressRuleSpec } from "./spec.js";

export type TaskStatus =
  | "PROVISIONING"
  | "PENDING"
  | "ACTIVATING"
  | "RUNNING"
  | "DEACTIVATING"
  | "STOPPING"
  | "DEPROVISIONING"
  | "STOPPED";

export interface Phase {
  status: TaskStatus;
  at: number;
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  cidrBlock: string;
  declaredFree: number;
  nextHost: number;
  /** Tasks holding an ENI here; stopped ones are dropped as they are counted. */
  enis: Task[];
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  vpcId: string;
  description: string;
  ingress: IngressRuleSpec[];
}

export interface ContainerInstance {
  arn: string;
  instanceId: string;
  clusterName: string;
  subnetId: string;
  securityGroups: string[];
  instanceType: string;
  privateIp: string;
  cpu: number;
  memory: number;
  registeredAt: number;
  nextHostPort: number;
}

export interface Cluster {
  name: string;
  arn: string;
  tags: Tag[];
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  registeredAt: number;
  deregisteredAt?: number;
  /** The RegisterTaskDefinition input as given, SDK-shaped. */
  input: Record<string, any>;
  containers: ContainerDefinition[];
  tags: Tag[];
}

export interface Eni {
  id: string;
  subnetId: string;
  ip: string;
  mac: string;
  attachmentId: string;
  securityGroups: string[];
}

export interface TaskContainer {
  name: string;
  arn: string;
  runtimeId: string;
  image: string;
  imageDigest: string;
  essential: boolean;
  behaviour: Required<
    Omit<
      ImageBehaviour,
      "exitAfterSeconds" | "exitReason" | "memoryMiB" | "stopTaskAfterSeconds" | "stopTaskReason" | "metrics"
    >
  > &
    ImageBehaviour;
  hasHealthCheck: boolean;
  /** valueFrom of the container's secrets. */
  secrets: string[];
  portMappings: { containerPort: number; hostPort: number; protocol: string }[];
  /** Set when the container ended on its own: at time, with exit code or a reason. */
  exit?: { at: number; exitCode?: number; reason?: string };
}

export interface TaskStop {
  requestedAt: number;
  stopCode: string;
  stoppedReason: string;
  /** Exit code of containers still running when stopped. */
  exitCode?: number;
}

export interface Task {
  id: string;
  arn: string;
  clusterName: string;
  taskDefinitionArn: string;
  group: string;
  startedBy?: string;
  launchType: "FARGATE" | "EC2";
  platformVersion?: string;
  capacityProviderName?: string;
  cpu: string;
  memory: string;
  createdAt: number;
  phases: Phase[];
  runningAt?: number;
  stop?: TaskStop;
  containers: TaskContainer[];
  eni?: Eni;
  availabilityZone: string;
  containerInstanceArn?: string;
  instanceId?: string;
  serviceName?: string;
  deploymentId?: string;
  tags: Tag[];
  overrides: TaskOverride;
  environmentOverrides?: KeyValuePair[];
  clientToken?: string;
  securityGroups: string[];
  /** The service scheduler has seen this task stop. */
  accounted?: boolean;
}

export type AlarmState = NonNullable<AlarmSpec["state"]>;

/** A CloudWatch alarm; alarms.ts alone changes its state. */
export interface Alarm {
  name: string;
  arn: string;
  state: AlarmState;
  reason: string;
  updatedAt: number;
  trigger?: AlarmSpec["trigger"];
  /** Every state change, oldest first (for DescribeAlarmHistory later). */
  history: { at: number; from: AlarmState; to: AlarmState; reason: string }[];
}
