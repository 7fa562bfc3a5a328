/**
 * Starts the ONE canary task, launched exactly as the service launches its tasks. Two rollouts of one service at
 * once both pass preflight before either has a canary, so right after starting its canary each looks again: the
 * run whose canary started first goes on, the other stops its canary and yields.
 */
import type {
  CreateServiceRequest,
  Failure,
  RunTaskCommandInput,
  Service,
  StartTaskCommandInput,
  Task,
} from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import type { Canary } from "./canary.js";
import { findCanaries } from "./canary-finder.js";
import { CageError } from "./errors.js";
import { canaryGroup, canaryTags, clientTokenFor, startedByFor } from "./labels.js";
import { callAws, callOnceThenCheck } from "./polling.js";
import type { Session } from "./session.js";

/** How the service launches tasks: the live service, or service.json with update-service. */
export type LaunchSource = Pick<
  Service & CreateServiceRequest,
  | "networkConfiguration"
  | "platformVersion"
  | "capacityProviderStrategy"
  | "launchType"
  | "placementConstraints"
  | "placementStrategy"
  | "loadBalancers"
  | "enableExecuteCommand"
  | "enableECSManagedTags"
  | "propagateTags"
  | "volumeConfigurations"
>;

export interface CanaryLaunch {
  cluster: string;
  service: string;
  runId: string;
  taskDefinitionArn: string;
  source: LaunchSource;
  /** A container-instance ARN, for StartTask on EC2. */
  containerInstanceArn?: string;
}

/** True when every task of this launch runs on Fargate, where placement constraints do not apply. */
export function runsOnFargate(source: LaunchSource): boolean {
  const strategy = source.capacityProviderStrategy ?? [];
  if (strategy.length > 0) return strategy.every((s) => s.capacityProvider?.startsWith("FARGATE"));
  return source.launchType === "FARGATE" || source.launchType === undefined;
}

function common(launch: CanaryLaunch) {
  const { source } = launch;
  return {
    cluster: launch.cluster,
    taskDefinition: launch.taskDefinitionArn,
    group: canaryGroup(launch.service),
    startedBy: startedByFor(launch.runId),
    tags: canaryTags(launch.service, launch.runId),
    ...(source.networkConfiguration ? { networkConfiguration: source.networkConfiguration } : {}),
    ...(source.enableExecuteCommand !== undefined ? { enableExecuteCommand: source.enableExecuteCommand } : {}),
    ...(source.enableECSManagedTags !== undefined ? { enableECSManagedTags: source.enableECSManagedTags } : {}),
    // RunTask and StartTask accept only TASK_DEFINITION; SERVICE tags belong to service-started tasks.
    ...(source.propagateTags === "TASK_DEFINITION" ? { propagateTags: source.propagateTags } : {}),
  };
}

/** How a task is launched like the service's: capacity or launch type, platform version, placement, volumes. */
export function launchFields(source: LaunchSource): Partial<RunTaskCommandInput> {
  const strategy = source.capacityProviderStrategy ?? [];
  const fargate = runsOnFargate(source);
  const volumes = (source.volumeConfigurations ?? []).map((v) => ({
    name: v.name,
    ...(v.managedEBSVolume ? { managedEBSVolume: v.managedEBSVolume } : {}),
  }));
  return {
    ...(source.networkConfiguration ? { networkConfiguration: source.networkConfiguration } : {}),
    ...(strategy.length > 0 ? { capacityProviderStrategy: strategy } : {}),
    ...(strategy.length === 0 && source.launchType ? { launchType: source.launchType } : {}),
    ...(fargate && source.platformVersion ? { platformVersion: source.platformVersion } : {}),
    ...(!fargate && source.placementConstraints?.length ? { placementConstraints: source.placementConstraints } : {}),
    ...(!fargate && source.placementStrategy?.length ? { placementStrategy: source.placementStrategy } : {}),
    ...(volumes.length > 0 ? { volumeConfigurations: volumes } : {}),
  };
}

export function runTaskInput(launch: CanaryLaunch): RunTaskCommandInput {
  return {
    ...launchFields(launch.source),
    ...common(launch),
    count: 1,
    clientToken: clientTokenFor(launch.runId, launch.cluster, launch.service, launch.taskDefinitionArn),
  };
}

export function startTaskInput(launch: CanaryLaunch, containerInstanceArn: string): StartTaskCommandInput {
  return { ...common(launch), containerInstances: [containerInstanceArn] };
}

export async function startCanary(session: Session, launch: CanaryLaunch): Promise<Canary> {
  const task = launch.containerInstanceArn
    ? await startOnInstance(session, launch, launch.containerInstanceArn)
    : await runSomewhere(session, launch);
  const taskArn = task.taskArn ?? "";
  session.emit({
    type: "resource",
    kind: "canary-task",
    id: taskArn,
    detail: { cluster: launch.cluster, service: launch.service, startedBy: startedByFor(launch.runId) },
  });
  return {
    cluster: launch.cluster,
    service: launch.service,
    taskArn,
    registrations: [],
    stopRequested: false,
  };
}

async function runSomewhere(session: Session, launch: CanaryLaunch): Promise<Task> {
  // The client token makes a repeated RunTask return the same task, so retrying is safe.
  const out = await callAws(
    session,
    "canary-start",
    "ecs:RunTask",
    (signal) => session.aws.ecs.runTask(runTaskInput(launch), signal),
    { retry: true, mutating: true },
  );
  return onlyTask(session, out.tasks, out.failures);
}

/** StartTask has no client token: before trying again, look whether the first attempt did start the canary. */
function startOnInstance(session: Session, launch: CanaryLaunch, instance: string): Promise<Task> {
  return callOnceThenCheck(
    session,
    "canary-start",
    "ecs:StartTask",
    async (signal) => {
      const out = await session.aws.ecs.startTask(startTaskInput(launch, instance), signal);
      return onlyTask(session, out.tasks, out.failures);
    },
    async () => {
      const started = await findCanaries(session, "canary-start", {
        cluster: launch.cluster,
        service: launch.service,
        startedBy: startedByFor(launch.runId),
      });
      return started[0];
    },
  );
}

const PLACEMENT_FIXES: Record<string, (naming: Session["naming"]) => string> = {
  "RESOURCE:MEMORY": () =>
    "No container instance has enough free memory for it: add capacity or lower the task's memory.",
  "RESOURCE:CPU": () => "No container instance has enough free CPU for it: add capacity or lower the task's cpu.",
  "RESOURCE:PORTS": () => "A static host port it needs is taken: use dynamic host ports (hostPort 0) in bridge mode.",
  "RESOURCE:ENI": () => "No network interface could be attached: check the subnet's free IP addresses and ENI limits.",
  AGENT: () => "The ECS agent on the instance is disconnected: check the instance or choose another.",
  MISSING: (naming) =>
    `The container instance was not found in the cluster: check ${naming.input("canary-instance-arn")}.`,
};

function onlyTask(session: Session, tasks: Task[] | undefined, failures: Failure[] | undefined): Task {
  const task = tasks?.[0];
  if (task?.taskArn) return task;
  const failure = failures?.[0];
  const reason = failure?.reason ?? "no task and no failure returned";
  const fix = Object.entries(PLACEMENT_FIXES).find(([key]) => reason.startsWith(key))?.[1](session.naming);
  throw new CageError(
    "canary-failed",
    "canary-start",
    `ECS could not start the canary task: ${inert(reason)}${failure?.arn ? ` (${inert(failure.arn)})` : ""}${failure?.detail ? `: ${inert(failure.detail)}` : ""}.`,
    fix,
  );
}

/** Earlier creation wins; the ARN breaks a tie the same way in every run. */
export function startedBefore(a: Task, b: Task): boolean {
  const at = a.createdAt?.getTime() ?? 0;
  const bt = b.createdAt?.getTime() ?? 0;
  return at !== bt ? at < bt : (a.taskArn ?? "") < (b.taskArn ?? "");
}

export async function yieldToEarlierCanary(
  session: Session,
  canary: Canary,
  families: string[],
  startedBy: string,
): Promise<void> {
  const canaries = await findCanaries(session, "canary-start", {
    cluster: canary.cluster,
    service: canary.service,
    families,
  });
  const ours = canaries.find((t) => t.taskArn === canary.taskArn);
  if (!ours) return;
  const earlier = canaries.filter((t) => t.startedBy !== startedBy && startedBefore(t, ours));
  const first = earlier[0];
  if (!first) return;
  throw new CageError(
    "refused",
    "canary-start",
    `Another run (startedBy ${first.startedBy ?? "?"}) started a canary for service '${canary.service}' just before this one (${first.taskArn}); this run stands back.`,
    "Run again once that rollout has finished.",
  );
}
