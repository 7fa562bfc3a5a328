/** The world's records of ELBv2: target groups, their registrations, load balancers. */

import type { Tag } from "@aws-sdk/client-ecs";
import type { Action, Certificate, RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";

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
  /** The load balancers a listener or rule forwards from (at any weight), and those the world file names. */
  loadBalancerArns: string[];
  /** The world file's `loadBalancers`: kept whatever the listeners say. */
  declaredLoadBalancerArns: string[];
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
  type: "application" | "network";
  vpcId: string;
  createdAt: number;
  /** Forwarding to a target group from one of them puts the group behind this load balancer. */
  listeners: ListenerRecord[];
}

/** A listener rule, or a listener's default rule (no priority, no conditions, the listener's default actions). */
export interface ListenerRule {
  arn: string;
  listenerArn: string;
  /** 1 to 50,000; none for the default rule. */
  priority?: number;
  conditions: RuleCondition[];
  /** As ELBv2 describes them: a forward action always has a ForwardConfig with each group's weight. */
  actions: Action[];
  tags: { Key?: string; Value?: string }[];
}

export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  sslPolicy?: string;
  certificates?: Certificate[];
  defaultRule: ListenerRule;
  /** The other rules, in no particular order (described by priority). */
  rules: ListenerRule[];
}
