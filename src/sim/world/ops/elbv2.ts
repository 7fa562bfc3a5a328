/** ELBv2: load balancers, target groups, attributes, targets and their health. */
import type * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import { type OpHandler, SimError } from "../../types.js";
import { paginate } from "../common.js";
import { cidrContains } from "../network.js";
import type { LoadBalancer, TargetGroup, WorldState } from "../state.js";
import { deregister, healthOf, register, registrationOf } from "../targets.js";
import { checkHealthCheck } from "./elbv2-checks.js";

export const DEFAULT_TG_ATTRIBUTES: Record<string, string> = {
  "deregistration_delay.timeout_seconds": "300",
  "stickiness.enabled": "false",
  "stickiness.type": "lb_cookie",
  "load_balancing.algorithm.type": "round_robin",
  "slow_start.duration_seconds": "0",
};

function validation(message: string): SimError {
  return new SimError("ValidationError", message);
}

function page<T>(items: T[], marker: string | undefined, pageSize: number | undefined) {
  if (pageSize !== undefined && (pageSize < 1 || pageSize > 400)) {
    throw validation(
      "1 validation error detected: Value at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400",
    );
  }
  return paginate(items, marker, pageSize, 400, 400);
}

export function targetGroupView(tg: TargetGroup): ELB.TargetGroup {
  // A TCP health check (an NLB's) only connects: it has no path, no matcher, and no HTTP version.
  const http = tg.healthCheck.protocol === "HTTP" || tg.healthCheck.protocol === "HTTPS";
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol as ELB.ProtocolEnum,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: tg.healthCheck.protocol as ELB.ProtocolEnum,
    HealthCheckPort: tg.healthCheck.port,
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: tg.healthCheck.intervalSeconds,
    HealthCheckTimeoutSeconds: tg.healthCheck.timeoutSeconds,
    HealthyThresholdCount: tg.healthCheck.healthyThreshold,
    UnhealthyThresholdCount: tg.healthCheck.unhealthyThreshold,
    ...(http ? { HealthCheckPath: tg.healthCheck.path, Matcher: { HttpCode: tg.healthCheck.matcher } } : {}),
    LoadBalancerArns: tg.loadBalancerArns,
    TargetType: tg.targetType,
    ...(http ? { ProtocolVersion: "HTTP1" } : {}),
    IpAddressType: "ipv4",
  };
}

export function loadBalancerView(state: WorldState, lb: LoadBalancer): ELB.LoadBalancer {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: "Z35SXDOTRQ7X7K",
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme as ELB.LoadBalancerSchemeEnum,
    VpcId: lb.vpcId,
    State: { Code: "active" },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((id) => ({ SubnetId: id, ZoneName: state.subnets.get(id)?.availabilityZone })),
    // An NLB created without security groups has none, and ELBv2 leaves the field out.
    ...(lb.type === "network" && lb.securityGroups.length === 0 ? {} : { SecurityGroups: lb.securityGroups }),
    IpAddressType: "ipv4",
  };
}

export function createLoadBalancer(
  state: WorldState,
  input: ELB.CreateLoadBalancerCommandInput,
  now: number,
  arn?: string,
): LoadBalancer {
  const name = input.Name;
  if (!name) throw validation("Name is required");
  const existing = [...state.loadBalancers.values()].find((lb) => lb.name === name);
  if (existing) return existing;
  const subnets = input.Subnets ?? input.SubnetMappings?.map((m) => m.SubnetId ?? "") ?? [];
  if (subnets.length < 2)
    throw validation("At least two subnets in two different Availability Zones must be specified");
  for (const id of subnets) {
    if (!state.subnets.has(id)) throw new SimError("SubnetNotFound", `The subnet ID '${id}' is not valid`);
  }
  const type = input.Type ?? (arn?.includes(":loadbalancer/net/") ? "network" : "application");
  if (type !== "application" && type !== "network") {
    throw validation(`Load balancer type '${type}' is not supported; use application or network`);
  }
  const id = state.ids.hex(16);
  const lb: LoadBalancer = {
    arn: arn ?? state.arn("elasticloadbalancing", `loadbalancer/${type === "network" ? "net" : "app"}/${name}/${id}`),
    type,
    name,
    dnsName: `${name}-${state.ids.digits(10)}.${state.region}.elb.amazonaws.com`,
    subnets,
    securityGroups: input.SecurityGroups ?? [],
    scheme: input.Scheme ?? "internet-facing",
    vpcId: state.subnets.get(subnets[0]!)!.vpcId,
    createdAt: now,
    listeners: [],
  };
  state.loadBalancers.set(lb.arn, lb);
  return lb;
}

export function createTargetGroup(
  state: WorldState,
  input: ELB.CreateTargetGroupCommandInput,
  arn?: string,
): TargetGroup {
  const name = input.Name;
  if (!name || !/^[A-Za-z0-9-]{1,32}$/.test(name)) {
    throw validation("Target group name must be 1-32 alphanumeric characters or hyphens");
  }
  checkHealthCheck(input);
  const existing = [...state.targetGroups.values()].find((tg) => tg.name === name);
  if (existing) {
    if (existing.port !== input.Port || existing.vpcId !== input.VpcId) {
      throw new SimError(
        "DuplicateTargetGroupName",
        "A target group with the same name exists, but with different settings",
      );
    }
    return existing;
  }
  if (input.VpcId && !state.vpcs.has(input.VpcId)) {
    throw validation(`The VPC ID '${input.VpcId}' is not found`);
  }
  const protocol = input.Protocol ?? "HTTP";
  const tg: TargetGroup = {
    arn: arn ?? state.arn("elasticloadbalancing", `targetgroup/${name}/${state.ids.hex(16)}`),
    name,
    port: input.Port ?? 80,
    protocol,
    targetType: input.TargetType === "ip" ? "ip" : "instance",
    vpcId: input.VpcId ?? "",
    healthCheck: {
      path: input.HealthCheckPath ?? "/",
      port: input.HealthCheckPort ?? "traffic-port",
      protocol: input.HealthCheckProtocol ?? protocol,
      intervalSeconds: input.HealthCheckIntervalSeconds ?? 30,
      timeoutSeconds: input.HealthCheckTimeoutSeconds ?? 5,
      healthyThreshold: input.HealthyThresholdCount ?? 5,
      unhealthyThreshold: input.UnhealthyThresholdCount ?? 2,
      matcher: input.Matcher?.HttpCode ?? "200",
    },
    attributes: new Map(Object.entries(DEFAULT_TG_ATTRIBUTES)),
    loadBalancerArns: [],
    declaredLoadBalancerArns: [],
    registrations: [],
    registrationIndex: new Map(),
    tags: [],
  };
  state.targetGroups.set(tg.arn, tg);
  return tg;
}

function targetGroupOf(state: WorldState, arn: string | undefined): TargetGroup {
  const tg = state.targetGroups.get(arn ?? "");
  if (!tg) throw new SimError("TargetGroupNotFound", "One or more target groups not found");
  return tg;
}

function checkTargets(state: WorldState, tg: TargetGroup, targets: ELB.TargetDescription[]): void {
  if (targets.length === 0) throw validation("Targets must contain at least one target");
  const vpcCidr = state.vpcs.get(tg.vpcId)?.cidrBlock;
  for (const t of targets) {
    const id = t.Id ?? "";
    if (
      tg.targetType === "ip" &&
      (!/^\d+\.\d+\.\d+\.\d+$/.test(id) || (vpcCidr && !cidrContains(vpcCidr, id) && t.AvailabilityZone !== "all"))
    ) {
      throw new SimError(
        "InvalidTarget",
        `The IP address '${id}' is not within the VPC CIDR '${vpcCidr}' of the target group`,
      );
    }
    if (tg.targetType === "instance" && ![...state.containerInstances.values()].some((ci) => ci.instanceId === id)) {
      throw new SimError(
        "InvalidTarget",
        `The following targets are not in a running state and cannot be registered: '${id}'`,
      );
    }
  }
}

export function elbv2Ops(state: WorldState, now: () => number): Record<string, OpHandler> {
  return {
    CreateLoadBalancer: (input: ELB.CreateLoadBalancerCommandInput): ELB.CreateLoadBalancerOutput => ({
      LoadBalancers: [loadBalancerView(state, createLoadBalancer(state, input, now()))],
    }),
    DescribeLoadBalancers: (input: ELB.DescribeLoadBalancersCommandInput): ELB.DescribeLoadBalancersOutput => {
      let all = [...state.loadBalancers.values()];
      if (input.LoadBalancerArns?.length) all = all.filter((lb) => input.LoadBalancerArns!.includes(lb.arn));
      if (input.Names?.length) all = all.filter((lb) => input.Names!.includes(lb.name));
      const asked = (input.LoadBalancerArns?.length ?? 0) + (input.Names?.length ?? 0);
      if (asked > 0 && all.length < asked)
        throw new SimError("LoadBalancerNotFound", "One or more load balancers not found");
      const { page: items, nextToken } = page(all, input.Marker, input.PageSize);
      return { LoadBalancers: items.map((lb) => loadBalancerView(state, lb)), NextMarker: nextToken };
    },
    CreateTargetGroup: (input: ELB.CreateTargetGroupCommandInput): ELB.CreateTargetGroupOutput => ({
      TargetGroups: [targetGroupView(createTargetGroup(state, input))],
    }),
    DescribeTargetGroups: (input: ELB.DescribeTargetGroupsCommandInput): ELB.DescribeTargetGroupsOutput => {
      let all = [...state.targetGroups.values()];
      if (input.LoadBalancerArn) {
        if (!state.loadBalancers.has(input.LoadBalancerArn)) {
          throw new SimError("LoadBalancerNotFound", "One or more load balancers not found");
        }
        all = all.filter((tg) => tg.loadBalancerArns.includes(input.LoadBalancerArn!));
      }
      if (input.TargetGroupArns?.length) all = all.filter((tg) => input.TargetGroupArns!.includes(tg.arn));
      if (input.Names?.length) all = all.filter((tg) => input.Names!.includes(tg.name));
      const asked = (input.TargetGroupArns?.length ?? 0) + (input.Names?.length ?? 0);
      if (asked > 0 && all.length < asked)
        throw new SimError("TargetGroupNotFound", "One or more target groups not found");
      const { page: items, nextToken } = page(all, input.Marker, input.PageSize);
      return { TargetGroups: items.map(targetGroupView), NextMarker: nextToken };
    },
    DescribeTargetGroupAttributes: (input: ELB.DescribeTargetGroupAttributesCommandInput) => {
      const tg = targetGroupOf(state, input.TargetGroupArn);
      return { Attributes: [...tg.attributes].map(([Key, Value]) => ({ Key, Value })) };
    },
    ModifyTargetGroupAttributes: (input: ELB.ModifyTargetGroupAttributesCommandInput) => {
      const tg = targetGroupOf(state, input.TargetGroupArn);
      for (const a of input.Attributes ?? []) {
        if (!a.Key || !(a.Key in DEFAULT_TG_ATTRIBUTES)) {
          throw new SimError("InvalidConfigurationRequest", `Target group attribute key '${a.Key}' is not recognized`);
        }
        tg.attributes.set(a.Key, a.Value ?? "");
      }
      return { Attributes: [...tg.attributes].map(([Key, Value]) => ({ Key, Value })) };
    },
    RegisterTargets: (input: ELB.RegisterTargetsCommandInput): ELB.RegisterTargetsOutput => {
      const tg = targetGroupOf(state, input.TargetGroupArn);
      const targets = input.Targets ?? [];
      checkTargets(state, tg, targets);
      for (const t of targets) {
        const az = [...state.tasks.values()].find((task) => task.eni?.ip === t.Id)?.availabilityZone;
        register(tg, { id: t.Id!, port: t.Port ?? tg.port, az: t.AvailabilityZone ?? az }, now());
      }
      return {};
    },
    DeregisterTargets: (input: ELB.DeregisterTargetsCommandInput): ELB.DeregisterTargetsOutput => {
      const tg = targetGroupOf(state, input.TargetGroupArn);
      for (const t of input.Targets ?? []) {
        const port = t.Port ?? tg.port;
        const known = registrationOf(tg, t.Id ?? "", port) !== undefined;
        if (!known) {
          throw new SimError(
            "InvalidTarget",
            "The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.",
          );
        }
        deregister(tg, { id: t.Id!, port }, now());
      }
      return {};
    },
    DescribeTargetHealth: (input: ELB.DescribeTargetHealthCommandInput): ELB.DescribeTargetHealthOutput => {
      const tg = targetGroupOf(state, input.TargetGroupArn);
      const targets = input.Targets?.length
        ? input.Targets.map((t) => ({ id: t.Id ?? "", port: t.Port }))
        : tg.registrations.map((r) => ({ id: r.id, port: r.port }));
      return { TargetHealthDescriptions: targets.map((t) => healthOf(tg, t)) };
    },
    DeleteTargetGroup: (input: ELB.DeleteTargetGroupCommandInput): ELB.DeleteTargetGroupOutput => {
      const tg = targetGroupOf(state, input.TargetGroupArn);
      if (tg.loadBalancerArns.length > 0) {
        throw new SimError("ResourceInUse", `Target group '${tg.arn}' is currently in use by a listener or a rule`);
      }
      state.targetGroups.delete(tg.arn);
      return {};
    },
  };
}
