/** DescribeTasks: of many tasks at once, or of one task followed, every change it shows turned into an event. */
import type { Task } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import type { Phase } from "./events.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";
import { containerSummaries, isStopping } from "./task-state.js";

/** Right after RunTask, DescribeTasks may not know the task yet (eventual consistency). */
const MISSING_GRACE_MS = 30_000;

export class TaskWatch {
  private lastStatus?: string;
  private desiredStatus?: string;
  private readonly health = new Map<string, string>();
  private readonly startedAt: number;
  /** The latest snapshot, if any. */
  task?: Task;

  constructor(
    private readonly session: Session,
    readonly cluster: string,
    readonly taskArn: string,
  ) {
    this.startedAt = session.clock.now();
  }

  /** Describes the task; undefined while it is not visible yet. Throws when it has gone missing for good. */
  async refresh(phase: Phase): Promise<Task | undefined> {
    const out = await callAws(this.session, phase, "ecs:DescribeTasks", (signal) =>
      this.session.aws.ecs.describeTasks({ cluster: this.cluster, tasks: [this.taskArn] }, signal),
    );
    const task = out.tasks?.find((t) => t.taskArn === this.taskArn) ?? out.tasks?.[0];
    if (!task) {
      if (this.session.clock.now() - this.startedAt < MISSING_GRACE_MS) return undefined;
      const reason = inert(out.failures?.[0]?.reason ?? "not returned");
      throw new CageError(
        "canary-failed",
        phase,
        `ECS no longer knows task ${this.taskArn} (${reason}): it stopped and expired, or was started in another cluster.`,
      );
    }
    this.observe(task);
    return task;
  }

  private observe(task: Task): void {
    this.task = task;
    if (task.lastStatus !== this.lastStatus || task.desiredStatus !== this.desiredStatus) {
      this.lastStatus = task.lastStatus;
      this.desiredStatus = task.desiredStatus;
      this.session.emit({
        type: "task-status",
        taskArn: this.taskArn,
        lastStatus: task.lastStatus ?? "UNKNOWN",
        ...(task.stopCode ? { stopCode: task.stopCode } : {}),
        ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
        containers: containerSummaries(task),
      });
    }
    // A stopping task's container health is its last reading, not a change: "HEALTHY" after "exited 1" misleads.
    if (isStopping(task)) return;
    for (const container of task.containers ?? []) {
      const name = container.name;
      const status = container.healthStatus;
      if (!name || !status || this.health.get(name) === status) continue;
      if (status === "UNKNOWN" && !this.health.has(name)) {
        this.health.set(name, status);
        continue;
      }
      this.health.set(name, status);
      this.session.emit({ type: "container-health", taskArn: this.taskArn, container: name, health: status });
    }
  }
}

/** Every task of `arns` ECS still knows, described 100 at a time (with their tags). */
export async function describeTasks(session: Session, phase: Phase, cluster: string, arns: string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const chunk = arns.slice(i, i + 100);
    const out = await callAws(session, phase, "ecs:DescribeTasks", (signal) =>
      session.aws.ecs.describeTasks({ cluster, tasks: chunk, include: ["TAGS"] }, signal),
    );
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
}
