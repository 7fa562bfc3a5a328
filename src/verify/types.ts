/** What `verify` read and what it concluded: facts in, one checklist line per check out. */
import type { SecurityGroup, Subnet } from "@aws-sdk/client-ec2";
import type { ContainerInstance, RegisterTaskDefinitionRequest, Service } from "@aws-sdk/client-ecs";
import type { LoadBalancer, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AuditReport, FailOn, FailOnUnscanned, IgnoreList } from "../audit/index.js";
import type { DeployContext } from "../context/types.js";
import type { Naming, Target } from "../engine/settings.js";

export type CheckStatus = "OK" | "NG" | "SKIP";

export interface Check {
  /** What is checked, e.g. `cluster production is ACTIVE`. */
  name: string;
  status: CheckStatus;
  /** Why it passed, failed or was skipped; may hold AWS text (rendered inert). */
  reason: string;
}

export interface VerifyReport {
  checks: Check[];
  counts: Record<CheckStatus, number>;
  /** Any check is NG. */
  failed: boolean;
}

/** Which command the context is verified for: a rollout needs the service, `up` needs it absent. */
export type VerifyFor = "rollout" | "up" | "run";

export interface VerifySettings extends Target {
  for: VerifyFor;
  context?: DeployContext;
  taskDefinitionArn?: string;
  canaryInstanceArn?: string;
  updateService: boolean;
  failOn: FailOn;
  failOnFixableOnly: boolean;
  failOnUnscanned: FailOnUnscanned;
  scanWaitTimeout: number;
  /** The ignore file's entries, as `audit` applies them. */
  ignore?: IgnoreList;
}

/** A read that answered, or why it did not (the error's text, inert when shown). */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string; code?: string };

/** The image manifest a tag or digest names, as BatchGetImage returned it. */
export interface ImageFact {
  container: string;
  image: string;
  /** Not an ECR image: why it is not checked. */
  notEcr?: string;
  manifest?: Read<{ text?: string; mediaType?: string } | undefined>;
}

export interface Facts {
  settings: VerifySettings;
  /** How the front end in use names the inputs and commands a reason points to. */
  naming: Naming;
  cluster: Read<{ status?: string; arn?: string } | undefined>;
  /** The live service; undefined when it does not exist. */
  service: Read<Service | undefined>;
  /** The task definition to deploy: the context's, or the registered one an ARN names. */
  taskDefinition: Read<RegisterTaskDefinitionRequest | undefined>;
  images: ImageFact[];
  audit?: Read<AuditReport>;
  /** The subnets the canary and the service's tasks are placed in, as asked and as found. */
  subnets?: { asked: string[]; found: Read<Subnet[]> };
  instance?: Read<ContainerInstance | undefined>;
  /** Absent when the launch has no load balancer entries. */
  loadBalancing?: LoadBalancingFacts;
}

/** The load balancer entries the canary is registered through, and what each one leads to. */
export interface LoadBalancingFacts {
  entries: { targetGroupArn: string; containerName: string; containerPort: number }[];
  /** One read per target group; undefined when it does not exist. */
  targetGroups: { arn: string; found: Read<TargetGroup | undefined> }[];
  /** The load balancers the target groups are attached to. */
  loadBalancers: Read<LoadBalancer[]>;
  /** The tasks' own security groups (awsvpc), which must let the load balancer in. */
  taskGroups?: { asked: string[]; found: Read<SecurityGroup[]> };
}
