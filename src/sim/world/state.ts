/** The world's state: one region's records (records*.ts), indexed, with what changes next (agenda.ts). */
import { Agenda } from "./agenda.js";
import { AlarmStore } from "./alarms.js";
import { Ids } from "./ids.js";
import { MetricStore } from "./metrics.js";
import type { Cluster, ContainerInstance, SecurityGroup, Subnet, Task, TaskDefinition } from "./records.js";
import type { ListenerRecord, ListenerRule, LoadBalancer, TargetGroup } from "./records-elb.js";
import type { Service } from "./records-service.js";
import type { ImageBehaviour, LambdaBehaviour } from "./spec.js";

export type * from "./records.js";
export type * from "./records-elb.js";
export type * from "./records-service.js";

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
  readonly listeners = new Map<string, ListenerRecord>();
  /** Every listener rule by ARN, default rules included. */
  readonly rules = new Map<string, ListenerRule>();
  /** Lambda lifecycle hooks' answers, by function name or ARN (the world's `lambdas`). */
  readonly lambdas = new Map<string, LambdaBehaviour>();
  readonly services = new Map<string, Service>();
  /** CloudWatch: the region's alarms (the one store every service reads) and metrics. */
  readonly alarms = new AlarmStore(
    (name) => `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${name}`,
    () => this.agenda.everything(this.services.keys()),
  );
  readonly metrics = new MetricStore();
  /** Indexes over tasks, for worlds with many of them. */
  readonly tasksByIp = new Map<string, Task>();
  readonly tasksByService = new Map<string, Task[]>();
  readonly tasksByCluster = new Map<string, Task[]>();
  readonly tasksByInstance = new Map<string, Task[]>();
  /** What changes next, and which services the scheduler must look at. */
  readonly agenda = new Agenda();
  /** What the registry knows of an image reference: its digest and the tagged references it goes by. */
  resolveImage: (image: string) => { digest: string; refs: string[] } | undefined = () => undefined;
  /** Whether the registry holds the reference's repository but not its tag or digest. */
  imageMissing: (image: string) => boolean = () => false;
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
