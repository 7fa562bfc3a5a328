/** EC2 networking: addresses from subnet CIDRs, ENIs for awsvpc tasks, and what security groups let through. */
import type { Eni, SecurityGroup, Subnet, WorldState } from "./state.js";

export function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export function parseCidr(cidr: string): { base: number; size: number } | undefined {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const bits = Number(match[2]);
  if (bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const base = Math.floor(ipToNumber(match[1]!) / size) * size;
  return { base, size };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const range = parseCidr(cidr);
  if (!range) return false;
  const n = ipToNumber(ip);
  return n >= range.base && n < range.base + range.size;
}

/** AWS reserves the first four and the last address of every subnet. */
export function defaultFreeIps(cidr: string): number {
  return Math.max(0, (parseCidr(cidr)?.size ?? 0) - 5);
}

/** ENIs of tasks that have not stopped by `now`. Time only moves forward, so stopped ones can be dropped. */
export function enisInUse(subnet: Subnet, now: number): number {
  subnet.enis = subnet.enis.filter((task) => {
    const last = task.phases[task.phases.length - 1]!;
    return !(last.status === "STOPPED" && last.at <= now);
  });
  return subnet.enis.length;
}

export function freeIps(subnet: Subnet, now: number): number {
  return Math.max(0, subnet.declaredFree - enisInUse(subnet, now));
}

/** A new ENI in the subnet, or undefined when it has no free address. */
export function allocateEni(state: WorldState, subnet: Subnet, securityGroups: string[], now: number): Eni | undefined {
  if (freeIps(subnet, now) <= 0) return undefined;
  const range = parseCidr(subnet.cidrBlock)!;
  const host = 4 + (subnet.nextHost % Math.max(1, range.size - 5));
  subnet.nextHost += 1;
  const mac = Array.from({ length: 6 }, () => state.ids.hex(2)).join(":");
  return {
    id: `eni-${state.ids.hex(17)}`,
    subnetId: subnet.subnetId,
    ip: numberToIp(range.base + host),
    mac,
    attachmentId: state.ids.uuid(),
    securityGroups,
  };
}

function portMatches(rule: { protocol?: string; fromPort?: number; toPort?: number }, port: number): boolean {
  const protocol = rule.protocol ?? "tcp";
  if (protocol === "-1" || protocol === "all") return true;
  if (protocol !== "tcp" && protocol !== "6") return false;
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? rule.fromPort ?? 65535);
}

/**
 * Whether traffic from a load balancer (its security groups, its subnets' CIDRs) reaches `port` on a target
 * guarded by `targetGroups`.
 */
export function allowsFrom(
  state: WorldState,
  targetGroups: string[],
  source: { securityGroups: string[]; subnets: string[] },
  port: number,
): boolean {
  const sourceCidrs = source.subnets.map((id) => state.subnets.get(id)?.cidrBlock).filter((c) => c !== undefined);
  return targetGroups
    .map((id) => state.securityGroups.get(id))
    .filter((sg): sg is SecurityGroup => sg !== undefined)
    .some((sg) =>
      sg.ingress.some((rule) => {
        if (!portMatches(rule, port)) return false;
        if (rule.sourceSecurityGroupId) return source.securityGroups.includes(rule.sourceSecurityGroupId);
        if (rule.cidr) return sourceCidrs.some((c) => cidrCovers(rule.cidr!, c));
        return false;
      }),
    );
}

function cidrCovers(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b) return false;
  return b.base >= a.base && b.base + b.size <= a.base + a.size;
}
