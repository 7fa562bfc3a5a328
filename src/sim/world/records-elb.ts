/** The world's records of ELBv2: target groups, their registrations, load balancers. */

import type { Tag } from "@aws-sdk/client-ecs";
import type { Listener } from "@aws-sdk/client-elastic-load-balancing-v2";

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
