/** What the engine knows about the canary it started (enough for cleanup to undo all of it), and its verdicts. */
import type { ContainerDefinition, LoadBalancer, Task } from "@aws-sdk/client-ecs";
import type { SoakPlan } from "./alarms.js";
import { CageError } from "./errors.js";
import type { Phase } from "./events.js";
import type { Poll } from "./polling.js";
import type { Timeouts } from "./settings.js";
import type { TargetGroupInfo } from "./targets.js";
import { containerHealth, isStopping, stopDescription } from "./task-state.js";
import type { TaskWatch } from "./task-watch.js";

export interface Registration {
  targetGroupArn: string;
  id: string;
  port: number;
  availabilityZone?: string;
  /** The last health state seen; a target that never became healthy carries no traffic and needs no drain. */
  lastState?: string;
}

export interface Canary {
  cluster: string;
  service: string;
  taskArn: string;
  /** Targets registered (or being registered) for it. */
  registrations: Registration[];
  /** StopTask was sent (or the task was found already stopped). */
  stopRequested: boolean;
}

/** What the canary is judged against. */
export interface Evaluation {
  canary: Canary;
  watch: TaskWatch;
  containers: readonly ContainerDefinition[];
  loadBalancers: readonly LoadBalancer[] | undefined;
  groups: ReadonlyMap<string, TargetGroupInfo>;
  idleMs: number;
  /** The soak after the canary is healthy; absent: none. */
  soak?: SoakPlan;
  timeouts: Timeouts;
}

/** Containers with a health check in the task definition must turn HEALTHY; UNHEALTHY fails at once. */
export function checkedContainers(containers: readonly ContainerDefinition[]): string[] {
  return containers.filter((c) => c.healthCheck && c.name).map((c) => c.name as string);
}

/** Why the canary failed at this look, if it did: it must be RUNNING with no UNHEALTHY container. */
export function canaryProblem(
  task: Task,
  evaluation: { containers: readonly ContainerDefinition[] },
  phase: Phase,
): CageError | undefined {
  if (isStopping(task) || task.lastStatus !== "RUNNING") return stoppedError(task, phase);
  const unhealthy = containerHealth(task, checkedContainers(evaluation.containers)).unhealthy;
  if (unhealthy.length === 0) return undefined;
  return new CageError(
    "canary-failed",
    phase,
    `Canary container(s) ${unhealthy.map((n) => `"${n}"`).join(", ")} became UNHEALTHY.`,
    "Their health check command failed: read the container logs and the healthCheck in task-definition.json.",
  );
}

/** The canary must be RUNNING with no UNHEALTHY container at every look after it started running. */
export function assertAlive(
  task: Task,
  evaluation: { containers: readonly ContainerDefinition[] },
  phase: Phase,
): void {
  const problem = canaryProblem(task, evaluation, phase);
  if (problem) throw problem;
}

/** A look at the canary on its way to RUNNING: on its way down is a failure. */
export function assessRunning(task: Task | undefined): Poll<Task> {
  if (!task) return { done: false, seen: "not visible yet" };
  if (isStopping(task)) return { done: false, failed: stoppedError(task, "canary-running") };
  if (task.lastStatus === "RUNNING") return { done: true, value: task };
  return { done: false, seen: task.lastStatus ?? "UNKNOWN" };
}

/** A look at the canary's containers: done when every one with a health check is HEALTHY. */
export function assessContainerHealth(
  task: Task | undefined,
  evaluation: { containers: readonly ContainerDefinition[] },
): Poll<void> {
  if (!task) return { done: false, seen: "not visible" };
  const problem = canaryProblem(task, evaluation, "container-health");
  if (problem) return { done: false, failed: problem };
  const { pending } = containerHealth(task, checkedContainers(evaluation.containers));
  if (pending.length === 0) return { done: true, value: undefined };
  return { done: false, seen: pending.map((p) => `${p.name}: ${p.status}`).join(", ") };
}

export function stoppedError(task: Task, phase: Phase): CageError {
  return new CageError(
    "canary-failed",
    phase,
    `Canary task ${task.taskArn ?? ""} ${stopDescription(task)}.`,
    "Read the stop reason and the container logs; the new task definition does not start as it should.",
  );
}
