/** Cross-references in a world file: every name or ID it mentions must be declared in it. */
import { advancedReferences, listenerReferences } from "./refs-listeners.js";
import type { WorldSpec } from "./spec.js";

export function danglingReferences(spec: WorldSpec): string[] {
  const problems: string[] = [];
  const set = (xs: string[] | undefined) => new Set(xs ?? []);
  const vpcs = set(spec.vpcs?.map((v) => v.vpcId));
  const subnets = set(spec.subnets?.map((s) => s.subnetId));
  const groups = set(spec.securityGroups?.map((g) => g.groupId));
  const clusters = set(spec.clusters?.map((c) => c.name));
  const lbs = set(spec.loadBalancers?.map((l) => l.name));
  const tgs = set(spec.targetGroups?.map((t) => t.name));
  const families = new Map<string, Record<string, unknown>[]>();
  for (const td of spec.taskDefinitions ?? []) {
    const family = String(td.family);
    families.set(family, [...(families.get(family) ?? []), td]);
  }
  const need = (ok: boolean, path: string, what: string, value: unknown, kind: string) => {
    if (!ok) problems.push(`${path}: ${what} ${JSON.stringify(value)} is not declared in ${kind}`);
  };
  spec.subnets?.forEach((s, i) => {
    need(vpcs.has(s.vpcId), `$.subnets[${i}].vpcId`, "VPC", s.vpcId, "vpcs");
  });
  spec.securityGroups?.forEach((g, i) => {
    need(vpcs.has(g.vpcId), `$.securityGroups[${i}].vpcId`, "VPC", g.vpcId, "vpcs");
    g.ingress?.forEach((r, j) => {
      if (r.sourceSecurityGroupId) {
        const path = `$.securityGroups[${i}].ingress[${j}].sourceSecurityGroupId`;
        need(groups.has(r.sourceSecurityGroupId), path, "security group", r.sourceSecurityGroupId, "securityGroups");
      }
    });
  });
  spec.clusters?.forEach((c, i) => {
    c.containerInstances?.forEach((ci, j) => {
      const path = `$.clusters[${i}].containerInstances[${j}]`;
      need(subnets.has(ci.subnetId), `${path}.subnetId`, "subnet", ci.subnetId, "subnets");
      ci.securityGroups?.forEach((g, k) => {
        need(groups.has(g), `${path}.securityGroups[${k}]`, "security group", g, "securityGroups");
      });
    });
  });
  spec.loadBalancers?.forEach((lb, i) => {
    lb.subnets.forEach((s, k) => {
      need(subnets.has(s), `$.loadBalancers[${i}].subnets[${k}]`, "subnet", s, "subnets");
    });
    lb.securityGroups?.forEach((g, k) => {
      need(groups.has(g), `$.loadBalancers[${i}].securityGroups[${k}]`, "security group", g, "securityGroups");
    });
  });
  // A fixed ARN must be one of the world's own region and account: from anywhere else it could not be found.
  const region = spec.region ?? "us-east-1";
  const account = spec.accountId ?? "123456789012";
  const ownArn = (arn: string | undefined, path: string) => {
    const [, , , arnRegion, arnAccount] = arn?.split(":") ?? [];
    if (arn !== undefined && (arnRegion !== region || arnAccount !== account)) {
      problems.push(
        `${path}: ${JSON.stringify(arn)} names region ${arnRegion} and account ${arnAccount}, but the world is in ${region}, account ${account}`,
      );
    }
  };
  spec.loadBalancers?.forEach((lb, i) => {
    ownArn(lb.arn, `$.loadBalancers[${i}].arn`);
  });
  problems.push(...listenerReferences(spec, { lbs, tgs }, ownArn));
  spec.targetGroups?.forEach((tg, i) => {
    ownArn(tg.arn, `$.targetGroups[${i}].arn`);
    need(vpcs.has(tg.vpcId), `$.targetGroups[${i}].vpcId`, "VPC", tg.vpcId, "vpcs");
    tg.loadBalancers?.forEach((l, k) => {
      need(lbs.has(l), `$.targetGroups[${i}].loadBalancers[${k}]`, "load balancer", l, "loadBalancers");
    });
  });
  /** The declared task definition `family` or `family:revision` names, if any. */
  const taskDefinition = (ref: string): Record<string, unknown> | undefined => {
    const [family, revision] = ref.split(":");
    const revisions = families.get(family ?? "") ?? [];
    if (revision !== undefined && Number(revision) > revisions.length) return undefined;
    return revisions[revision === undefined ? revisions.length - 1 : Number(revision) - 1];
  };
  const hasContainer = (td: Record<string, unknown>, name: string) =>
    ((td.containerDefinitions as { name?: string }[] | undefined) ?? []).some((c) => c.name === name);
  spec.services?.forEach((svc, i) => {
    const path = `$.services[${i}]`;
    need(clusters.has(svc.cluster), `${path}.cluster`, "cluster", svc.cluster, "clusters");
    const td = taskDefinition(svc.taskDefinition);
    need(td !== undefined, `${path}.taskDefinition`, "task definition", svc.taskDefinition, "taskDefinitions");
    svc.subnets?.forEach((s, k) => {
      need(subnets.has(s), `${path}.subnets[${k}]`, "subnet", s, "subnets");
    });
    svc.securityGroups?.forEach((g, k) => {
      need(groups.has(g), `${path}.securityGroups[${k}]`, "security group", g, "securityGroups");
    });
    svc.loadBalancers?.forEach((lb, k) => {
      need(
        tgs.has(lb.targetGroup),
        `${path}.loadBalancers[${k}].targetGroup`,
        "target group",
        lb.targetGroup,
        "targetGroups",
      );
      problems.push(...advancedReferences(spec, lb, `${path}.loadBalancers[${k}]`, tgs));
      if (td && !hasContainer(td, lb.containerName)) {
        problems.push(
          `${path}.loadBalancers[${k}].containerName: container ${JSON.stringify(lb.containerName)} is not in task definition ${svc.taskDefinition}`,
        );
      }
    });
    const alarms = new Set((spec.alarms ?? []).map((a) => a.name));
    svc.alarms?.alarmNames.forEach((name, k) => {
      need(alarms.has(name), `${path}.alarms.alarmNames[${k}]`, "alarm", name, "alarms");
    });
    if (!svc.deployment) return;
    const next = taskDefinition(svc.deployment.taskDefinition);
    const at = `${path}.deployment.taskDefinition`;
    need(next !== undefined, at, "task definition", svc.deployment.taskDefinition, "taskDefinitions");
    for (const lb of svc.loadBalancers ?? []) {
      if (next && !hasContainer(next, lb.containerName)) {
        problems.push(
          `${at}: container ${JSON.stringify(lb.containerName)}, which the service's load balancers name, is not in task definition ${svc.deployment.taskDefinition}`,
        );
      }
    }
  });
  return problems;
}
