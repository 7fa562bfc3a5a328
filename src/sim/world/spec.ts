/**
 * The world file as TypeScript types. world.schema.json describes the same shape for editors and for load-time
 * validation; keep the two in step.
 */

/** How the app in one image behaves when a task runs it. Keyed in `images` by image reference (tag or digest). */
export interface ImageBehaviour {
  /** Seconds from PROVISIONING to RUNNING. Default 30. */
  bootSeconds?: number;
  /** The container health check's verdict over time. Default "healthy". */
  containerHealth?: "healthy" | "unhealthy" | "flapping";
  /** Seconds after RUNNING before the container health check first reports. Default 10. */
  healthyAfterSeconds?: number;
  /** With "flapping": seconds between HEALTHY and UNHEALTHY turns. Default 60. */
  flapSeconds?: number;
  /** What the app answers to the target group's health check. Default "pass". */
  appHealthCheck?: "pass" | "mismatch" | "timeout";
  /** The process exits this many seconds after RUNNING. */
  exitAfterSeconds?: number;
  /** Exit code when it exits. Default 1. */
  exitCode?: number;
  /** With exitAfterSeconds: the container's reason, as ECS gives one (`OutOfMemoryError: ...`). */
  exitReason?: string;
  /** Someone else calls StopTask on each task of the image this many seconds after RUNNING. */
  stopTaskAfterSeconds?: number;
  /** That StopTask's reason: free text, written by whoever holds ecs:StopTask. Default "Task stopped by user". */
  stopTaskReason?: string;
  /** The image cannot be pulled: CannotPullContainerError. */
  pullError?: boolean;
  /** A secret of the container cannot be read: ResourceInitializationError. */
  secretError?: boolean;
  /** Memory the task really needs to be placed on an EC2 instance (MiB); placement fails when none has it. */
  memoryMiB?: number;
  /** CloudWatch metrics the image's tasks drive while they run (or serve in a target group). */
  metrics?: MetricBehaviourSpec[];
}

/** "This image's tasks make metric M rise to V while they serve in target group T." */
export interface MetricBehaviourSpec {
  namespace: string;
  metricName: string;
  dimensions?: Record<string, string>;
  /** The metric's value while at least one such task serves (the highest, when several declare it). */
  value: number;
  /** Only while the task is a healthy target of this target group (by name); else while it is RUNNING. */
  targetGroup?: string;
}

/** A CloudWatch metric alarm in the world's region at load. */
export interface AlarmSpec {
  name: string;
  description?: string;
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, string>;
  statistic?: "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount";
  /** Seconds. Default 60. */
  period?: number;
  /** Periods the metric must breach (or stop breaching) before the alarm changes state. Default 1. */
  evaluationPeriods?: number;
  threshold?: number;
  comparisonOperator?:
    | "GreaterThanOrEqualToThreshold"
    | "GreaterThanThreshold"
    | "LessThanThreshold"
    | "LessThanOrEqualToThreshold";
  /** The state at load. Default OK. */
  state?: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  stateReason?: string;
  /** ALARM this long after a task with this image (full reference, or repository:tag) is RUNNING. */
  trigger?: { image: string; afterSeconds?: number; reason?: string };
}

export interface VpcSpec {
  vpcId: string;
  cidrBlock: string;
}

export interface SubnetSpec {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  cidrBlock: string;
  /** Free IPs at load; default the CIDR's size minus AWS's 5 reserved. 0 makes every task placed here fail. */
  availableIpAddressCount?: number;
}

export interface IngressRuleSpec {
  /** "tcp", "udp" or "-1" (all). Default "tcp". */
  protocol?: string;
  fromPort?: number;
  toPort?: number;
  /** Traffic from members of this security group. */
  sourceSecurityGroupId?: string;
  /** Traffic from this CIDR. */
  cidr?: string;
}

export interface SecurityGroupSpec {
  groupId: string;
  groupName?: string;
  vpcId: string;
  description?: string;
  ingress?: IngressRuleSpec[];
}

export interface ContainerInstanceSpec {
  instanceId: string;
  subnetId: string;
  securityGroups?: string[];
  instanceType?: string;
  cpu: number;
  memory: number;
}

export interface ClusterSpec {
  name: string;
  containerInstances?: ContainerInstanceSpec[];
}

export interface LoadBalancerSpec {
  name: string;
  arn?: string;
  subnets: string[];
  /** Required for an Application Load Balancer; a Network Load Balancer may have none. */
  securityGroups?: string[];
  scheme?: "internet-facing" | "internal";
  /** application (default) or network: an NLB may have no security groups, and its listeners no rules. */
  type?: "application" | "network";
}

export interface TargetGroupSpec {
  name: string;
  /** Fixed ARN, to match a deploy context; generated when absent. */
  arn?: string;
  port: number;
  protocol?: "HTTP" | "HTTPS" | "TCP";
  targetType?: "ip" | "instance";
  vpcId: string;
  /** Names of the load balancers forwarding to it; a target group with none reports targets `unused`. */
  loadBalancers?: string[];
  healthCheck?: {
    path?: string;
    port?: string;
    intervalSeconds?: number;
    timeoutSeconds?: number;
    healthyThreshold?: number;
    unhealthyThreshold?: number;
    matcher?: string;
  };
  /** deregistration_delay.timeout_seconds. Default 300. */
  deregistrationDelaySeconds?: number;
}

/** A target group a listener or rule forwards to, with its weight (default 1). */
export interface ForwardSpec {
  targetGroup: string;
  weight?: number;
}

export interface ListenerRuleSpec {
  /** A name for the world file only: a service's productionListenerRule or testListenerRule can name it. */
  name?: string;
  /** Fixed ARN, to match a deploy context; generated when absent. */
  arn?: string;
  priority: number;
  /** ELBv2 RuleCondition objects as CreateRule takes them (Field, Values, HttpHeaderConfig, ...). */
  conditions: Record<string, unknown>[];
  /** Forward to these target groups; or give `actions`. */
  forward?: ForwardSpec[];
  /** With forward: target group stickiness for this many seconds. */
  stickinessSeconds?: number;
  /** ELBv2 Action objects as CreateRule takes them (TargetGroupArn, ForwardConfig, FixedResponseConfig, ...). */
  actions?: Record<string, unknown>[];
}

export interface ListenerSpec {
  /** A name for the world file only: it stands for the listener's default rule (an NLB's listener itself). */
  name?: string;
  loadBalancer: string;
  arn?: string;
  port: number;
  protocol?: "HTTP" | "HTTPS" | "TCP" | "TLS" | "UDP" | "TCP_UDP";
  /** The default action: forward to these target groups; or give `actions`. */
  forward?: ForwardSpec[];
  stickinessSeconds?: number;
  actions?: Record<string, unknown>[];
  rules?: ListenerRuleSpec[];
}

export interface ServiceSpec {
  cluster: string;
  serviceName: string;
  /** family:revision or family (latest) of a task definition in `taskDefinitions`. */
  taskDefinition: string;
  desiredCount: number;
  launchType?: "FARGATE" | "EC2";
  platformVersion?: string;
  subnets?: string[];
  securityGroups?: string[];
  assignPublicIp?: "ENABLED" | "DISABLED";
  loadBalancers?: ServiceLoadBalancerSpec[];
  strategy?: "ROLLING" | "BLUE_GREEN" | "LINEAR" | "CANARY";
  bakeTimeInMinutes?: number;
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
  /** deploymentConfiguration.alarms: these alarms (names in `alarms`) fail a deployment in progress. */
  alarms?: { alarmNames: string[]; rollback: boolean; enable?: boolean };
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  circuitBreaker?: { enable: boolean; rollback: boolean };
  healthCheckGracePeriodSeconds?: number;
  /** A deployment in progress at load: the service ran `taskDefinition` until UpdateService started this one. */
  deployment?: DeploymentSpec;
}

/** How a Lambda lifecycle hook answers: its hookStatus, after this many seconds (default 0). */
export interface LambdaBehaviour {
  outcome: "SUCCEEDED" | "FAILED";
  seconds?: number;
  /** What it answers when ECS runs it again during a rollback (TEST_ and PRODUCTION_TRAFFIC_SHIFT hooks); FAILED fails the rollback. */
  rollbackOutcome?: "SUCCEEDED" | "FAILED";
}

export interface ServiceLoadBalancerSpec {
  targetGroup: string;
  containerName: string;
  containerPort: number;
  /** Blue/green, linear, canary: the pair's other target group and the rules (by world-file name) ECS shifts. */
  alternateTargetGroup?: string;
  productionListenerRule?: string;
  testListenerRule?: string;
  roleArn?: string;
}

export interface DeploymentSpec {
  /** family:revision or family (latest) the new PRIMARY deployment rolls out. */
  taskDefinition: string;
  /** How long before load it started (default 0); it must still be in progress at load. */
  startedSecondsAgo?: number;
}

export interface FindingsSpec {
  /** Findings listed one by one. */
  list?: FindingSpec[];
  /** Generated findings, deterministic for the seed. */
  generate?: { count: number; seed?: number; severities?: Partial<Record<Severity, number>> };
}

export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL" | "UNDEFINED";

export interface FindingSpec {
  name: string;
  severity: Severity;
  description?: string;
  uri?: string;
  packageName?: string;
  packageVersion?: string;
  fixedInVersion?: string;
  score?: number;
}

export interface ScanSpec {
  status?:
    | "COMPLETE"
    | "IN_PROGRESS"
    | "FAILED"
    | "UNSUPPORTED_IMAGE"
    | "ACTIVE"
    | "PENDING"
    | "SCAN_ELIGIBILITY_EXPIRED"
    | "FINDINGS_UNAVAILABLE";
  description?: string;
  /** Seconds after load when an IN_PROGRESS scan turns COMPLETE. */
  completesAfterSeconds?: number;
  findings?: FindingsSpec;
}

export interface EcrImageSpec {
  tags?: string[];
  /** sha256:… ; derived from the tags when absent. */
  digest?: string;
  /** Multi-arch: a manifest list ("docker") or OCI index ("oci") over these platforms. */
  index?: { kind: "docker" | "oci"; platforms: string[] };
  sizeBytes?: number;
  pushedAt?: string;
  scan?: ScanSpec;
}

export interface EcrRepositorySpec {
  name: string;
  /** Region of the registry; default the world's. */
  region?: string;
  /** The account whose registry holds it (cross-account images); default the world's. */
  registryId?: string;
  scanType?: "BASIC" | "ENHANCED";
  images?: EcrImageSpec[];
}

export interface WorldSpec {
  $schema?: string;
  description?: string;
  region?: string;
  accountId?: string;
  seed?: number;
  vpcs?: VpcSpec[];
  subnets?: SubnetSpec[];
  securityGroups?: SecurityGroupSpec[];
  clusters?: ClusterSpec[];
  loadBalancers?: LoadBalancerSpec[];
  targetGroups?: TargetGroupSpec[];
  listeners?: ListenerSpec[];
  /** Lambda functions that lifecycle hooks call, by name or ARN; an undeclared one answers SUCCEEDED at once. */
  lambdas?: Record<string, LambdaBehaviour>;
  /** RegisterTaskDefinition inputs, SDK-shaped (camelCase). */
  taskDefinitions?: Record<string, unknown>[];
  services?: ServiceSpec[];
  images?: Record<string, ImageBehaviour>;
  /** CloudWatch alarms in the world's region (alarms.ts): deployment alarms and canary-alarms name them. */
  alarms?: AlarmSpec[];
  ecr?: { repositories?: EcrRepositorySpec[] };
  /** Passed through to the wire layer. */
  iamPolicy?: unknown;
  faults?: unknown;
  /** Named changes merged over the base world: objects merge, lists and scalars replace. */
  variants?: Record<string, Partial<WorldSpec> & { description?: string }>;
}
