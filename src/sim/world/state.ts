/** The world's records. Views for the API are derived from these and the time; see lifecycle.ts and views. */
import type { ContainerDefinition, KeyValuePair, Tag, TaskOverride } from "@aws-sdk/client-ecs";
import type { Listener } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Agenda } from "./agenda.js";
import { Ids } from "./ids.js";
import type { ImageBehaviour, IngressRuleSpec } from "./spec.js";

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
    Omit<ImageBehaviour, "exitAfterSeconds" | "exitReason" | "memoryMiB" | "stopTaskAfterSeconds" | "stopTaskReason">
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

export interface HealthCheck {
  path: string;
  port: string;
  protocol: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}

export interface Registration {
  id: string;
  port: number;
  availabilityZone?: string;
  registeredAt: number;
  deregisteredAt?: number;
  state: "initial" | "healthy" | "unhealthy";
  reason?: string;
  description?: string;
  passes: number;
  fails: number;
  nextCheckAt: number;
}

export interface TargetGroup {
  arn: string;
  name: string;
  port: number;
  protocol: string;
  targetType: "ip" | "instance";
  vpcId: string;
  healthCheck: HealthCheck;
  attributes: Map<string, string>;
  loadBalancerArns: string[];
  registrations: Registration[];
  /** The same registrations by `id:port`, kept by targets.ts, so a lookup costs the same at 5,000 targets. */
  registrationIndex: Map<string, Registration>;
  tags: Tag[];
}

export interface LoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  subnets: string[];
  securityGroups: string[];
  scheme: string;
  vpcId: string;
  createdAt: number;
  /** As given to CreateListener; forwarding to a target group puts it behind this load balancer. */
  listeners: Listener[];
}

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

export class WorldState {
  readonly ids: Ids;
  readonly vpcs = new Map<string, { vpcId: string; cidrBlock: string }>();
  readonly subnets = new Map<string, Subnet>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly clusters = new Map<string, Cluster>();
  readonly containerInstances = new Map<string, ContainerInstance>();
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  readonly tasks = new Map<string, Task>();
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly services = new Map<string, Service>();
  /** Indexes over tasks, for worlds with many of them. */
  readonly tasksByIp = new Map<string, Task>();
  readonly tasksByService = new Map<string, Task[]>();
  readonly tasksByCluster = new Map<string, Task[]>();
  readonly tasksByInstance = new Map<string, Task[]>();
  /** What changes next, and which services the scheduler must look at. */
  readonly agenda = new Agenda();
  /** What the registry knows of an image reference: its digest and the tagged references it goes by. */
  resolveImage: (image: string) => { digest: string; refs: string[] } | undefined = () => undefined;
  /** Tasks launched so far: spreads awsvpc tasks over their subnets in turn. */
  launches = 0;
  /** Time the world has been brought up to. */
  time: number;
  /** When forget.ts next looks for long-stopped tasks. */
  nextForgetAt = 0;

  constructor(
    readonly region: string,
    readonly accountId: string,
    seed: number,
    start: number,
    /** Behaviour per image reference; the world's regions share one map. */
    readonly images = new Map<string, ImageBehaviour>(),
  ) {
    this.ids = new Ids(seed);
    this.time = start;
  }

  arn(service: "ecs" | "elasticloadbalancing", resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
  }
}
