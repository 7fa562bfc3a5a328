/** What every part of the service scheduler needs: a service's tasks, its primary deployment, its events. */
import type { Deployment, Service, Task, WorldState } from "./state.js";

export function serviceEvent(state: WorldState, svc: Service, now: number, message: string): void {
  state.agenda.changed();
  svc.events.unshift({ id: state.ids.uuid(), createdAt: now, message: `(service ${svc.name}) ${message}` });
  if (svc.events.length > 100) svc.events.length = 100;
}

export function tasksOf(state: WorldState, svc: Service): Task[] {
  return state.tasksByService.get(svc.arn) ?? [];
}

export function primaryOf(svc: Service): Deployment {
  return svc.deployments.find((d) => d.status === "PRIMARY")!;
}
