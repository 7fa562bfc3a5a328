/**
 * The load balancer entries: each target group exists, takes the task's kind of target, maps to a container port,
 * is forwarded to by a load balancer, and that load balancer's security groups may reach the tasks on the port.
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
  const sources = (group.LoadBalancerArns ?? []).flatMap(
    (arn) => lbOf(lb.loadBalancers.ok ? lb.loadBalancers.value : [], arn)?.SecurityGroups ?? [],
  );
  if (sources.length === 0)
    return {
      name,
      status: "SKIP",
      reason: "the load balancer has no security groups (a network load balancer without them)",
    };
  const missing = lb.taskGroups.asked.filter(
    (id) => !lb.taskGroups?.found.ok || !lb.taskGroups.found.value.some((g) => g.GroupId === id),
  );
  if (missing.length > 0) return { name, status: "NG", reason: `security group not found: ${missing.join(", ")}` };
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

function coversPort(rule: IpPermission, port: number): boolean {
  if (rule.IpProtocol === "-1") return true;
  if (rule.IpProtocol !== "tcp" && rule.IpProtocol !== "6") return false;
  return (rule.FromPort ?? 0) <= port && port <= (rule.ToPort ?? rule.FromPort ?? 65535);
}
