/**
 * ECS describes a stopped task for about an hour, then forgets it; so does the world. Without this a service
 * whose tasks keep failing would make the world, and every scheduler pass over the service's tasks, grow
 * with simulated time.
 */
import { stoppedAt } from "./lifecycle.js";
import type { Task, WorldState } from "./state.js";

/** How long a stopped task stays visible. */
export const STOPPED_TASK_KEPT_MS = 60 * 60 * 1000;
/** Looking for tasks to forget costs a walk over all of them; once every few simulated minutes is enough. */
const EVERY_MS = 5 * 60 * 1000;

function isForgettable(task: Task, now: number): boolean {
  const stopped = stoppedAt(task);
  if (stopped === undefined || stopped > now - STOPPED_TASK_KEPT_MS) return false;
  // The scheduler counts a service's stopped task once; it must have seen it before it goes.
  return task.serviceName === undefined || task.accounted === true;
}

export function forgetStoppedTasks(state: WorldState, now: number): void {
  if (now < state.nextForgetAt) return;
  state.nextForgetAt = now + EVERY_MS;
  const gone = new Set<Task>();
  for (const task of state.tasks.values()) if (isForgettable(task, now)) gone.add(task);
  if (gone.size === 0) return;
  for (const task of gone) {
    state.tasks.delete(task.arn);
    if (task.eni && state.tasksByIp.get(task.eni.ip) === task) state.tasksByIp.delete(task.eni.ip);
    if (task.serviceName) state.services.get(task.serviceName)?.targets.delete(task.arn);
    state.agenda.forget(task);
  }
  for (const index of [state.tasksByService, state.tasksByCluster, state.tasksByInstance]) {
    for (const [key, tasks] of index) {
      const kept = tasks.filter((t) => !gone.has(t));
      if (kept.length > 0) index.set(key, kept);
      else index.delete(key);
    }
  }
  for (const subnet of state.subnets.values()) subnet.enis = subnet.enis.filter((t) => !gone.has(t));
}
