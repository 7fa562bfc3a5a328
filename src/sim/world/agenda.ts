/**
 * What the world has to do next, indexed so that a request costs what changed rather than the size of the world:
 * each task's next change of status or health in a min-heap, each target group's next health check or drain end,
 * and which services the scheduler has to look at again.
 */
import type { Task } from "./records.js";
import type { TargetGroup } from "./records-elb.js";

/** How the agenda learns when things next change; given by the region, which knows lifecycles and health checks. */
export interface Planners {
  /** The next time after `now` at which the task's status (or, for a service task, its health) changes. */
  task(task: Task, now: number): number | undefined;
  /** The target group's next health check that can change something, or drain end. */
  targetGroup(tg: TargetGroup): number | undefined;
}

interface Entry {
  at: number;
  task: Task;
}

export class Agenda {
  /** Min-heap on `at`; an entry is stale once its task's time in `taskAt` differs. */
  private readonly heap: Entry[] = [];
  private readonly taskAt = new Map<Task, number>();
  private readonly targetAt = new Map<TargetGroup, number | undefined>();
  /** Service ARNs with something new for the scheduler. */
  readonly dirty = new Set<string>();
  /** Per service ARN: a time at which the scheduler must look again although nothing happens then by itself. */
  readonly wake = new Map<string, number>();
  /** Per target group ARN: the services that registered targets in it. */
  private readonly users = new Map<string, Set<string>>();
  /** Counts changes made by the scheduler and operations; a scheduler pass that leaves it alone changed nothing. */
  changes = 0;
  private planners: Planners = { task: () => undefined, targetGroup: () => undefined };

  use(planners: Planners): void {
    this.planners = planners;
  }

  changed(): void {
    this.changes += 1;
  }

  /** Reads again when the task next changes by itself after `now`; call whenever its lifecycle is (re)planned. */
  task(task: Task, now: number): void {
    this.changed();
    this.plan(task, now);
    if (task.serviceName) this.dirty.add(task.serviceName);
  }

  private plan(task: Task, now: number): void {
    const at = this.planners.task(task, now);
    if (at === undefined) {
      this.taskAt.delete(task);
      return;
    }
    this.taskAt.set(task, at);
    this.push({ at, task });
  }

  /** Tasks that change at or before `now`; each is planned again past `now` and its service marked. */
  due(now: number): void {
    for (let top = this.top(); top && top.at <= now; top = this.top()) {
      this.pop();
      this.plan(top.task, now);
      if (top.task.serviceName) this.dirty.add(top.task.serviceName);
    }
  }

  /** The task is gone from the world: its heap entries turn stale and are dropped as they surface. */
  forget(task: Task): void {
    this.taskAt.delete(task);
  }

  /** The earliest task change after `after`. */
  nextTaskChange(after: number): number | undefined {
    this.due(after);
    return this.top()?.at;
  }

  /** The target group's next health check that can change something, or drain end. */
  targetGroup(tg: TargetGroup): number | undefined {
    if (!this.targetAt.has(tg)) this.targetAt.set(tg, this.planners.targetGroup(tg));
    return this.targetAt.get(tg);
  }

  /** A task started: a target that pointed at nothing may now reach it, so every target group looks again. */
  taskStarted(): void {
    this.targetAt.clear();
  }

  /** The target group's registrations changed: forget its next event and mark the services using it. */
  targetGroupChanged(tg: TargetGroup): void {
    this.changed();
    this.targetAt.delete(tg);
    for (const arn of this.users.get(tg.arn) ?? []) this.dirty.add(arn);
  }

  usesTargetGroup(serviceArn: string, tgArn: string): void {
    const users = this.users.get(tgArn) ?? new Set<string>();
    users.add(serviceArn);
    this.users.set(tgArn, users);
  }

  /** After an operation that may have changed anything: every service and target group is looked at again. */
  everything(serviceArns: Iterable<string>): void {
    this.changed();
    this.targetAt.clear();
    for (const arn of serviceArns) this.dirty.add(arn);
  }

  private top(): Entry | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top || this.taskAt.get(top.task) === top.at) return top;
      this.pop();
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
