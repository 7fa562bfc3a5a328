/** Task lifecycles as ECS reports them, planned when a task starts and read back at any time. */
import type { ImageBehaviour } from "./spec.js";
import type { Phase, Task, TaskContainer, TaskStatus, WorldState } from "./state.js";

export const DEFAULT_BEHAVIOUR = {
  bootSeconds: 30,
  containerHealth: "healthy",
  healthyAfterSeconds: 10,
  flapSeconds: 60,
  appHealthCheck: "pass",
  exitCode: 1,
  pullError: false,
  secretError: false,
} as const satisfies ImageBehaviour;

const S = 1000;
const STOPPING_SECONDS = 2;
const DEPROVISIONING_SECONDS = 3;

/** The declared behaviour of an image: by exact reference, by `repository:tag` or by digest. */
export function behaviourOf(state: WorldState, image: string): TaskContainer["behaviour"] {
  const lookup = (ref: string) => {
    const short = ref.slice(ref.lastIndexOf("/") + 1);
    const digest = ref.includes("@") ? ref.slice(ref.indexOf("@") + 1) : undefined;
    return state.images.get(ref) ?? state.images.get(short) ?? (digest ? state.images.get(digest) : undefined);
  };
  const resolved = state.resolveImage(image);
  const declared =
    lookup(image) ??
    (resolved ? [resolved.digest, ...resolved.refs].map(lookup).find((b) => b !== undefined) : undefined) ??
    {};
  return { ...DEFAULT_BEHAVIOUR, ...declared, ...(state.imageMissing(image) ? { pullError: true } : {}) };
}

export function statusAt(task: Task, now: number): TaskStatus {
  let status: TaskStatus = "PROVISIONING";
  for (const phase of task.phases) {
    if (phase.at > now) break;
    status = phase.status;
  }
  return status;
}

export function stoppedAt(task: Task): number | undefined {
  const last = task.phases[task.phases.length - 1]!;
  return last.status === "STOPPED" ? last.at : undefined;
}

export function isStopRequested(task: Task, now: number): boolean {
  return task.stop !== undefined && task.stop.requestedAt <= now;
}

/** The next time after `now` at which the task's status or container health changes. */
export function nextChangeOf(task: Task, now: number, withHealth: boolean): number | undefined {
  let next = task.phases.find((p) => p.at > now)?.at;
  if (withHealth) {
    for (const c of task.containers) {
      const h = nextHealthChange(task, c, now);
      if (h !== undefined && (next === undefined || h < next)) next = h;
    }
  }
  return next;
}

/** Plans the lifecycle of a task that starts at `start`. `failure` is a start failure found before launch. */
export function planTask(task: Task, start: number, failure?: { stoppedReason: string }): void {
  const add = (status: TaskStatus, at: number) => task.phases.push({ status, at });
  add("PROVISIONING", start);
  if (failure) {
    failStart(task, start + 1 * S, failure.stoppedReason);
    return;
  }
  const boot = Math.max(...task.containers.map((c) => c.behaviour.bootSeconds)) * S;
  const pendingAt = start + boot * 0.2;
  add("PENDING", pendingAt);
  const secret = task.containers.find((c) => c.behaviour.secretError);
  if (secret) {
    failStart(task, pendingAt + 2 * S, secretErrorReason(task, secret));
    return;
  }
  const unpullable = task.containers.find((c) => c.behaviour.pullError);
  if (unpullable) {
    const reason = `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${unpullable.image}: ${unpullable.image}: not found`;
    const at = start + boot * 0.8;
    unpullable.exit = { at, reason };
    failStart(task, at, reason);
    return;
  }
  add("ACTIVATING", start + boot * 0.8);
  const runningAt = start + boot;
  add("RUNNING", runningAt);
  task.runningAt = runningAt;
  for (const c of task.containers) {
    if (c.behaviour.exitAfterSeconds === undefined) continue;
    const at = runningAt + c.behaviour.exitAfterSeconds * S;
    c.exit = {
      at,
      exitCode: c.behaviour.exitCode,
      ...(c.behaviour.exitReason ? { reason: c.behaviour.exitReason } : {}),
    };
  }
  const stopper = task.containers.find((c) => c.behaviour.stopTaskAfterSeconds !== undefined);
  if (stopper?.behaviour.stopTaskAfterSeconds !== undefined) {
    requestStop(task, runningAt + stopper.behaviour.stopTaskAfterSeconds * S, {
      stopCode: "UserInitiated",
      stoppedReason: stopper.behaviour.stopTaskReason ?? "Task stopped by user",
      drainSeconds: 0,
    });
  }
  const firstEssentialExit = task.containers
    .filter((c) => c.essential && c.exit)
    .sort((a, b) => a.exit!.at - b.exit!.at)[0];
  if (firstEssentialExit) {
    requestStop(task, firstEssentialExit.exit!.at, {
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
      drainSeconds: 0,
    });
  }
}

function secretErrorReason(task: Task, container: TaskContainer): string {
  const secret = container.secrets[0] ?? `${task.taskDefinitionArn}/${container.name}`;
  const store = secret.includes(":secretsmanager:") ? "asm" : "ssm";
  const action = store === "asm" ? "secretsmanager:GetSecretValue" : "ssm:GetParameters";
  return `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ${store}: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::${task.arn.split(":")[4]}:assumed-role/ecsTaskExecutionRole is not authorized to perform: ${action} on resource: ${secret}`;
}

function failStart(task: Task, at: number, stoppedReason: string): void {
  task.stop = { requestedAt: at, stopCode: "TaskFailedToStart", stoppedReason };
  if (task.eni) task.phases.push({ status: "DEPROVISIONING", at });
  task.phases.push({ status: "STOPPED", at: at + (task.eni ? DEPROVISIONING_SECONDS * S : 0) });
}

/**
 * Stops a task at `at`: DEACTIVATING while its targets drain, STOPPING, DEPROVISIONING when it has an ENI, STOPPED.
 * A stop already requested earlier wins.
 */
export function requestStop(
  task: Task,
  at: number,
  stop: { stopCode: string; stoppedReason: string; drainSeconds: number },
): void {
  if (task.stop && task.stop.requestedAt <= at) return;
  const status = statusAt(task, at);
  task.phases = task.phases.filter((p) => p.at <= at);
  if (task.runningAt !== undefined && task.runningAt > at) task.runningAt = undefined;
  // A planned exit after the stop never happens; a failed pull (no exit code) already did.
  for (const c of task.containers) if (c.exit && c.exit.at > at && c.exit.exitCode !== undefined) c.exit = undefined;
  task.stop = { requestedAt: at, stopCode: stop.stopCode, stoppedReason: stop.stoppedReason, exitCode: 0 };
  const phases: Phase[] = [];
  let t = at;
  const started = status === "ACTIVATING" || status === "RUNNING";
  if (started && stop.drainSeconds > 0) {
    phases.push({ status: "DEACTIVATING", at: t });
    t += stop.drainSeconds * S;
  }
  if (started) {
    phases.push({ status: "STOPPING", at: t });
    t += STOPPING_SECONDS * S;
  }
  if (task.eni) {
    phases.push({ status: "DEPROVISIONING", at: t });
    t += DEPROVISIONING_SECONDS * S;
  }
  phases.push({ status: "STOPPED", at: t });
  task.phases.push(...phases);
}

export type ContainerHealth = "HEALTHY" | "UNHEALTHY" | "UNKNOWN";

export function containerHealthAt(task: Task, c: TaskContainer, now: number): ContainerHealth {
  if (!c.hasHealthCheck || task.runningAt === undefined) return "UNKNOWN";
  const end = Math.min(now, c.exit?.at ?? now, task.stop?.requestedAt ?? now);
  const first = task.runningAt + c.behaviour.healthyAfterSeconds * S;
  if (end < first) return "UNKNOWN";
  if (c.behaviour.containerHealth === "unhealthy") return "UNHEALTHY";
  if (c.behaviour.containerHealth === "healthy") return "HEALTHY";
  const turns = Math.floor((end - first) / (c.behaviour.flapSeconds * S));
  return turns % 2 === 0 ? "HEALTHY" : "UNHEALTHY";
}

function nextHealthChange(task: Task, c: TaskContainer, now: number): number | undefined {
  if (!c.hasHealthCheck || task.runningAt === undefined) return undefined;
  const first = task.runningAt + c.behaviour.healthyAfterSeconds * S;
  let next: number | undefined;
  if (now < first) next = first;
  else if (c.behaviour.containerHealth === "flapping") {
    const period = c.behaviour.flapSeconds * S;
    next = first + (Math.floor((now - first) / period) + 1) * period;
  }
  const end = Math.min(c.exit?.at ?? Number.POSITIVE_INFINITY, task.stop?.requestedAt ?? Number.POSITIVE_INFINITY);
  return next !== undefined && next <= end ? next : undefined;
}

export function taskHealthAt(task: Task, now: number): ContainerHealth {
  const checked = task.containers.filter((c) => c.essential && c.hasHealthCheck);
  if (checked.length === 0) return "UNKNOWN";
  const states = checked.map((c) => containerHealthAt(task, c, now));
  if (states.includes("UNHEALTHY")) return "UNHEALTHY";
  return states.every((s) => s === "HEALTHY") ? "HEALTHY" : "UNKNOWN";
}

export function containerStatusAt(task: Task, c: TaskContainer, now: number): "PENDING" | "RUNNING" | "STOPPED" {
  if (c.exit && c.exit.at <= now) return "STOPPED";
  switch (statusAt(task, now)) {
    case "PROVISIONING":
    case "PENDING":
      return "PENDING";
    case "DEPROVISIONING":
    case "STOPPED":
      return "STOPPED";
    default:
      return "RUNNING";
  }
}
