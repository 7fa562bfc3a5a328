/** Reading an ECS task: pure functions over DescribeTasks output. */
import type { Container, Task } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";

/** The task is on its way down or down: desiredStatus STOPPED is already a definite answer. */
export function isStopping(task: Task): boolean {
  return task.lastStatus === "STOPPED" || task.desiredStatus === "STOPPED";
}

/** `stopped (EssentialContainerExited: Essential container in task exited); container "app" exited with code 1` */
export function stopDescription(task: Task): string {
  const parts: string[] = [];
  const code = task.stopCode ? `${inert(task.stopCode)}: ` : "";
  parts.push(`${task.lastStatus === "STOPPED" ? "stopped" : `stopping (now ${inert(task.lastStatus ?? "unknown")})`}`);
  if (task.stopCode || task.stoppedReason) parts[0] += ` (${code}${inert(task.stoppedReason ?? "no reason given")})`;
  for (const container of task.containers ?? []) {
    const detail = containerStop(container);
    if (detail) parts.push(detail);
  }
  return parts.join("; ");
}

function containerStop(container: Container): string | undefined {
  const name = `container "${inert(container.name ?? "?")}"`;
  const reason = container.reason ? inert(container.reason) : undefined;
  if (container.exitCode !== undefined && container.exitCode !== null) {
    return `${name} exited with code ${container.exitCode}${reason ? ` (${reason})` : ""}`;
  }
  if (reason) return `${name}: ${reason}`;
  return undefined;
}

export interface ContainerHealth {
  healthy: string[];
  unhealthy: string[];
  /** Not yet decided (UNKNOWN or absent), with the status seen. */
  pending: { name: string; status: string }[];
}

/** Health of the containers that have a health check in the task definition. */
export function containerHealth(task: Task, checked: readonly string[]): ContainerHealth {
  const result: ContainerHealth = { healthy: [], unhealthy: [], pending: [] };
  for (const name of checked) {
    const status = task.containers?.find((c) => c.name === name)?.healthStatus ?? "UNKNOWN";
    if (status === "HEALTHY") result.healthy.push(name);
    else if (status === "UNHEALTHY") result.unhealthy.push(name);
    else result.pending.push({ name, status });
  }
  return result;
}

/** The containers as a task-status event carries them. */
export function containerSummaries(task: Task) {
  return (task.containers ?? []).map((c) => ({
    name: c.name ?? "?",
    ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}),
    ...(c.exitCode !== undefined && c.exitCode !== null ? { exitCode: c.exitCode } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
  }));
}

/** The ENI of an awsvpc task: its private IP and subnet. */
export function eniOf(task: Task): { ip?: string; subnetId?: string } {
  const eni = task.attachments?.find((a) => a.type === "ElasticNetworkInterface" && a.status !== "DELETED");
  const detail = (name: string) => eni?.details?.find((d) => d.name === name)?.value;
  return { ip: detail("privateIPv4Address"), subnetId: detail("subnetId") };
}

/** The host port Docker bound for a container port (bridge and host network modes, dynamic ports included). */
export function hostPortOf(task: Task, containerName: string, containerPort: number): number | undefined {
  const container = task.containers?.find((c) => c.name === containerName);
  const binding = container?.networkBindings?.find((b) => b.containerPort === containerPort);
  return binding?.hostPort ?? undefined;
}
