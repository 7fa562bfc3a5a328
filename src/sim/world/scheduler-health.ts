/** Which of a service's tasks count as healthy for the scheduler: running, container health, and every target. */
import { isStopRequested, statusAt, taskHealthAt } from "./lifecycle.js";
import { tasksOf } from "./services.js";
import type { Deployment, Service, ServiceLoadBalancer, Task, WorldState } from "./state.js";
import { registrationOf } from "./targets.js";

/** The target groups a task registers with: its deployment's, which UpdateService may have changed. */
export function loadBalancersOf(svc: Service, task: Task): ServiceLoadBalancer[] {
  return svc.deployments.find((d) => d.id === task.deploymentId)?.loadBalancers ?? svc.loadBalancers;
}

export function isHealthy(state: WorldState, svc: Service, task: Task, now: number): boolean {
  if (statusAt(task, now) !== "RUNNING" || isStopRequested(task, now)) return false;
  if (taskHealthAt(task, now) === "UNHEALTHY") return false;
  if (task.containers.some((c) => c.essential && c.hasHealthCheck) && taskHealthAt(task, now) !== "HEALTHY")
    return false;
  const targets = svc.targets.get(task.arn) ?? [];
  if (targets.length < loadBalancersOf(svc, task).length) return false;
  return targets.every((t) => {
    const tg = state.targetGroups.get(t.targetGroupArn);
    const reg = tg && registrationOf(tg, t.id, t.port);
    return reg?.state === "healthy" && reg.deregisteredAt === undefined;
  });
}

export function healthyCountOf(state: WorldState, svc: Service, deployment: Deployment, now: number): number {
  return tasksOf(state, svc).filter((t) => t.deploymentId === deployment.id && isHealthy(state, svc, t, now)).length;
}
