/**
 * The load balancer entries: each target group exists, takes the task's kind of target, maps to a container port,
 * is forwarded to by a load balancer, and that load balancer's security groups may reach the tasks on the port (or,
 * for a Network Load Balancer without security groups, its subnets' addresses may).
 */
import type { IpPermission, SecurityGroup } from "@aws-sdk/client-ec2";
import type { LoadBalancer, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Check, Facts, LoadBalancingFacts } from "./types.js";

type Entry = LoadBalancingFacts["entries"][number];

const tgName = (arn: string) => /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;

export function loadBalancerChecks(facts: Facts): Check[] {
  const lb = facts.loadBalancing;
  if (!lb) {
    const reason =
      facts.settings.for === "run"
        ? "run starts a task outside the service's load balancers"
        : "no load balancer entries: the canary is judged by its health checks alone";
    return [{ name: "load balancer entries", status: "SKIP", reason }];
  }
  return lb.entries.flatMap((entry) => entryChecks(facts, lb, entry));
}

function entryChecks(facts: Facts, lb: LoadBalancingFacts, entry: Entry): Check[] {
  const name = tgName(entry.targetGroupArn);
  const read = lb.targetGroups.find((t) => t.arn === entry.targetGroupArn)?.found;
  const exists = `target group ${name} exists`;
  const later = [`target group ${name} takes the task's targets`, `target group ${name} is behind a load balancer`];
  const reach = `load balancer can reach container ${entry.containerName} on port ${entry.containerPort}`;
  const port = portCheck(facts, entry);
  if (!read?.ok || !read.value) {
    const reason = !read ? "not read" : read.ok ? `not found: ${entry.targetGroupArn}` : read.error;
    const skip = "the target group could not be read";
    return [
      { name: exists, status: "NG", reason },
      ...later.map((n) => ({ name: n, status: "SKIP" as const, reason: skip })),
      port,
      { name: reach, status: "SKIP", reason: skip },
    ];
  }
  const group = read.value;
  return [
    { name: exists, status: "OK", reason: `${group.Protocol ?? "?"}:${group.Port ?? "?"} in ${group.VpcId ?? "?"}` },
    targetTypeCheck(facts, group, later[0] as string),
    attachedCheck(group, lb, later[1] as string),
    port,
    reachCheck(facts, lb, group, entry, reach),
  ];
}

function networkModeOf(facts: Facts): string {
  const td = facts.taskDefinition.ok ? facts.taskDefinition.value : undefined;
  return td?.networkMode ?? "bridge";
}

function targetTypeCheck(facts: Facts, group: TargetGroup, name: string): Check {
  const mode = networkModeOf(facts);
  const wanted = mode === "awsvpc" ? "ip" : "instance";
  const type = group.TargetType ?? "instance";
  return type === wanted
    ? { name, status: "OK", reason: `target type ${type} for networkMode ${mode}` }
    : {
        name,
        status: "NG",
        reason: `target type ${type}, but networkMode ${mode} tasks register as ${wanted} targets: use a target group of type ${wanted}`,
      };
}

/** AWS lists a load balancer on a target group only while one of its listeners or rules forwards there. */
function attachedCheck(group: TargetGroup, lb: LoadBalancingFacts, name: string): Check {
  const arns = group.LoadBalancerArns ?? [];
  if (arns.length === 0)
    return {
      name,
      status: "NG",
      reason: "no listener or rule forwards to it, so a healthy canary would serve no traffic: attach it to a listener",
    };
  const names = arns.map(
    (arn) => (lb.loadBalancers.ok ? lbOf(lb.loadBalancers.value, arn)?.LoadBalancerName : undefined) ?? arn,
  );
  return { name, status: "OK", reason: `forwarded to by ${names.join(", ")}` };
}

const lbOf = (all: LoadBalancer[], arn: string) => all.find((l) => l.LoadBalancerArn === arn);

function portCheck(facts: Facts, entry: Entry): Check {
  const name = `container ${entry.containerName} has port ${entry.containerPort}`;
  const td = facts.taskDefinition.ok ? facts.taskDefinition.value : undefined;
  if (!td) return { name, status: "SKIP", reason: "the task definition could not be read" };
  const containers = td.containerDefinitions ?? [];
  const container = containers.find((c) => c.name === entry.containerName);
  if (!container)
    return {
      name,
      status: "NG",
      reason: `no container ${entry.containerName} in the task definition (it has ${containers.map((c) => c.name).join(", ") || "none"}): fix the load balancer entry's containerName`,
    };
  const ports = (container.portMappings ?? []).map((p) => p.containerPort);
  return ports.includes(entry.containerPort)
    ? { name, status: "OK", reason: "a port mapping of the task definition" }
    : {
        name,
        status: "NG",
        reason: `its port mappings are ${ports.join(", ") || "none"}: fix the load balancer entry's containerPort or the container's portMappings`,
      };
}

function reachCheck(facts: Facts, lb: LoadBalancingFacts, group: TargetGroup, entry: Entry, name: string): Check {
  if (networkModeOf(facts) !== "awsvpc")
    return {
      name,
      status: "SKIP",
      reason: "the tasks use their instance's security groups, which verify does not read",
    };
  if (!lb.taskGroups)
    return {
      name,
      status: "SKIP",
      reason: "no securityGroups: the VPC's default group applies, which verify does not read",
    };
  if (!lb.taskGroups.found.ok) return { name, status: "NG", reason: lb.taskGroups.found.error };
  if (!lb.loadBalancers.ok) return { name, status: "NG", reason: lb.loadBalancers.error };
  const balancers = (group.LoadBalancerArns ?? []).flatMap(
    (arn) => lbOf(lb.loadBalancers.ok ? lb.loadBalancers.value : [], arn) ?? [],
  );
  const sources = balancers.flatMap((b) => b.SecurityGroups ?? []);
  const bare = balancers.length > 0 && balancers.every((b) => b.Type === "network");
  if (sources.length === 0 && !bare)
    return {
      name,
      status: "SKIP",
      reason: "the load balancer has no security groups, so verify cannot tell what it sends from",
    };
  const missing = lb.taskGroups.asked.filter(
    (id) => !lb.taskGroups?.found.ok || !lb.taskGroups.found.value.some((g) => g.GroupId === id),
  );
  if (missing.length > 0) return { name, status: "NG", reason: `security group not found: ${missing.join(", ")}` };
  if (sources.length === 0)
    return nlbReach(facts, balancers, lb.taskGroups.found.value, lb.taskGroups.asked, entry.containerPort, name);
  const allowed = allowedBy(lb.taskGroups.found.value, sources, entry.containerPort);
  return allowed
    ? { name, status: "OK", reason: allowed }
    : {
        name,
        status: "NG",
        reason: `no ingress rule of ${lb.taskGroups.asked.join(", ")} allows tcp ${entry.containerPort} from ${sources.join(", ")}: the load balancer's health checks and traffic would time out; add that ingress rule`,
      };
}

/** The first ingress rule that lets the load balancer's groups (or an address range) in on the port, described. */
function allowedBy(groups: SecurityGroup[], sources: string[], port: number): string | undefined {
  for (const group of groups) {
    for (const rule of group.IpPermissions ?? []) {
      if (!coversPort(rule, port)) continue;
      const pair = rule.UserIdGroupPairs?.find((p) => p.GroupId && sources.includes(p.GroupId));
      if (pair) return `${group.GroupId} allows ${port} from ${pair.GroupId}`;
      const range = rule.IpRanges?.[0]?.CidrIp ?? rule.Ipv6Ranges?.[0]?.CidrIpv6;
      if (range) return `${group.GroupId} allows ${port} from ${range}`;
    }
  }
  return undefined;
}

/**
 * A Network Load Balancer without security groups health-checks (and, without client IP preservation, forwards)
 * from its own addresses in its subnets, so an address range of the tasks' groups must cover those subnets.
 */
function nlbReach(
  facts: Facts,
  balancers: LoadBalancer[],
  groups: SecurityGroup[],
  asked: string[],
  port: number,
  name: string,
): Check {
  const read = facts.subnets?.found.ok ? facts.subnets.found.value : [];
  const ids = balancers.flatMap((b) => (b.AvailabilityZones ?? []).flatMap((z) => z.SubnetId ?? []));
  const cidrs = ids.map((id) => read.find((s) => s.SubnetId === id)?.CidrBlock);
  const ranges = groups.flatMap((g) =>
    (g.IpPermissions ?? [])
      .filter((rule) => coversPort(rule, port))
      .flatMap((rule) =>
        (rule.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [`${g.GroupId} allows ${port} from ${r.CidrIp}`] : [])),
      ),
  );
  const fix = `allow tcp ${port} in ${asked.join(", ")} from the VPC's CIDR (or the load balancer's subnets)`;
  if (ranges.length === 0) {
    return {
      name,
      status: "NG",
      reason: `the network load balancer has no security groups, so it reaches the tasks from its subnets' addresses, and no ingress rule allows tcp ${port} from an address range: its health checks would time out; ${fix}`,
    };
  }
  if (ids.length === 0 || cidrs.some((c) => c === undefined)) {
    return { name, status: "OK", reason: `${ranges[0]} (the load balancer's subnets were not read, so not compared)` };
  }
  const covering = ranges.find((r) => cidrs.every((c) => cidrCovers(r.slice(r.lastIndexOf(" ") + 1), c as string)));
  return covering
    ? { name, status: "OK", reason: `${covering}, which covers the network load balancer's subnets` }
    : {
        name,
        status: "NG",
        reason: `no ingress rule of ${asked.join(", ")} allows tcp ${port} from the network load balancer's subnets (${cidrs.join(", ")}): its health checks would time out; ${fix}`,
      };
}

/** Whether IPv4 range `outer` holds all of `inner`. */
function cidrCovers(outer: string, inner: string): boolean {
  const parse = (cidr: string) => {
    const [ip, bits] = cidr.split("/");
    const parts = (ip ?? "").split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
    const n = Number(bits ?? 32);
    const base = parts.reduce((a, p) => a * 256 + p, 0);
    return { start: base - (base % 2 ** (32 - n)), size: 2 ** (32 - n) };
  };
  const a = parse(outer);
  const b = parse(inner);
  return !!a && !!b && b.start >= a.start && b.start + b.size <= a.start + a.size;
}

function coversPort(rule: IpPermission, port: number): boolean {
  if (rule.IpProtocol === "-1") return true;
  if (rule.IpProtocol !== "tcp" && rule.IpProtocol !== "6") return false;
  return (rule.FromPort ?? 0) <= port && port <= (rule.ToPort ?? rule.FromPort ?? 65535);
}
