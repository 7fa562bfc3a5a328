/** Where the tasks go: the subnets (one VPC, free addresses) and, on EC2, the canary's instance. */
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import { launchSourceOf } from "./checks-service.js";
import type { Check, Facts } from "./types.js";

/** Free addresses a command needs: one per task it starts while the old ones still run. */
export function addressesNeeded(facts: Facts): { count: number; why: string } {
  const source = launchSourceOf(facts);
  const desired = source?.desiredCount ?? 1;
  const maximumPercent = source?.deploymentConfiguration?.maximumPercent ?? 200;
  if (facts.settings.for === "up") return { count: desired, why: `${desired} task(s) of desiredCount` };
  if (facts.settings.for === "run") return { count: 1, why: "the one task" };
  const surge = Math.max(0, Math.ceil((desired * maximumPercent) / 100) - desired);
  return {
    count: 1 + surge,
    why: `1 canary + ${surge} more task(s) at maximumPercent ${maximumPercent} of ${desired}`,
  };
}

export function subnetChecks(facts: Facts): Check[] {
  const names = ["subnets exist", "subnets are in one VPC", "subnets have free addresses"];
  if (!facts.subnets) {
    const reason = "no awsvpcConfiguration: the tasks use their instance's network";
    return names.map((name) => ({ name, status: "SKIP", reason }));
  }
  const { asked, found } = facts.subnets;
  if (!found.ok) {
    return [
      { name: names[0] as string, status: "NG", reason: found.error },
      ...names.slice(1).map((name) => ({ name, status: "SKIP" as const, reason: "the subnets could not be read" })),
    ];
  }
  const seen = new Set(found.value.map((s) => s.SubnetId));
  const missing = asked.filter((id) => !seen.has(id));
  const exist: Check =
    missing.length > 0
      ? { name: names[0] as string, status: "NG", reason: `not found: ${missing.join(", ")}` }
      : { name: names[0] as string, status: "OK", reason: asked.join(", ") };
  const vpcs = [...new Set(found.value.map((s) => s.VpcId ?? "?"))];
  const oneVpc: Check =
    vpcs.length === 1
      ? { name: names[1] as string, status: "OK", reason: vpcs[0] as string }
      : vpcs.length === 0
        ? { name: names[1] as string, status: "SKIP", reason: "no subnet was found" }
        : {
            name: names[1] as string,
            status: "NG",
            reason: `they span ${vpcs.join(", ")}; a task's subnets must share one VPC`,
          };
  const need = addressesNeeded(facts);
  const free = found.value.reduce((sum, s) => sum + (s.AvailableIpAddressCount ?? 0), 0);
  const each = found.value.map((s) => `${s.SubnetId} ${s.AvailableIpAddressCount ?? 0}`).join(", ");
  const addresses: Check = {
    name: names[2] as string,
    status: free >= need.count ? "OK" : "NG",
    reason: `${need.count} needed (${need.why}), ${free} free (${each})`,
  };
  return [exist, oneVpc, addresses];
}

/** What the task definition asks of an instance: the task's size, else the sum of its containers'. */
export function taskSize(td: RegisterTaskDefinitionRequest): { cpu: number; memory: number } {
  const containers = td.containerDefinitions ?? [];
  const sum = (pick: (c: (typeof containers)[number]) => number | undefined) =>
    containers.reduce((total, c) => total + (pick(c) ?? 0), 0);
  return {
    cpu: Number(td.cpu) || sum((c) => c.cpu),
    memory: Number(td.memory) || sum((c) => c.memory ?? c.memoryReservation),
  };
}

export function instanceCheck(facts: Facts): Check {
  const ref = facts.settings.canaryInstanceArn;
  const name = ref ? `canary instance ${ref} has room for the task` : "canary instance has room for the task";
  if (!ref || !facts.instance)
    return { name, status: "SKIP", reason: `no ${facts.naming.input("canary-instance-arn")} was given` };
  if (!facts.instance.ok) return { name, status: "NG", reason: facts.instance.error };
  const instance = facts.instance.value;
  if (!instance) return { name, status: "NG", reason: `not a container instance of cluster ${facts.settings.cluster}` };
  if (instance.status && instance.status !== "ACTIVE")
    return { name, status: "NG", reason: `it is ${instance.status}` };
  const td = facts.taskDefinition.ok ? facts.taskDefinition.value : undefined;
  if (!td) return { name, status: "SKIP", reason: "the task definition could not be read" };
  const need = taskSize(td);
  const left = (key: string) => instance.remainingResources?.find((r) => r.name === key)?.integerValue ?? 0;
  const cpu = left("CPU");
  const memory = left("MEMORY");
  const short = [
    cpu < need.cpu ? `CPU ${need.cpu} > ${cpu} left` : "",
    memory < need.memory ? `memory ${need.memory} MiB > ${memory} MiB left` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return short
    ? { name, status: "NG", reason: short }
    : { name, status: "OK", reason: `CPU ${need.cpu} of ${cpu} left, memory ${need.memory} of ${memory} MiB left` };
}
