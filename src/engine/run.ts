/** `cage run`: one task from the deploy context with one container's command overridden; its exit code is the result. */
import type { RunTaskCommandInput, Task } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { type LaunchSource, launchFields } from "./canary-start.js";
import { CageError } from "./errors.js";
import { clientTokenFor, RUN_TASK_GROUP, runTaskTags, startedByFor } from "./labels.js";
import { callAws, type Poll, waitFor } from "./polling.js";
import { describeService, noticeDisagreements, noticeOtherAccounts } from "./preflight.js";
import { isCanceled, mayShowLater, unknownTasksOfRun, unsettledField } from "./read-back.js";
import { concludeWith, ServiceChange, type Verdict } from "./service-change.js";
import { cleanupSession, errorText, inPhase, openSession, type Session } from "./session.js";
import type { CommandResult, EngineDeps, RunTaskSettings } from "./settings.js";
import { resolveTaskDefinition } from "./task-definition.js";
import { stopDescription } from "./task-state.js";
import { TaskWatch } from "./task-watch.js";

const POLL_MS = 3_000;

export async function runTask(settings: RunTaskSettings, deps: EngineDeps): Promise<CommandResult> {
  const session = openSession(deps, settings.timeouts.overall);
  const facts: Facts = {};
  let result: Verdict;
  try {
    result = await execute(session, settings, facts);
  } catch (error) {
    let message = errorText(error);
    if (facts.taskArn && !facts.stopped) message += await stopLeftover(session, settings, facts.taskArn);
    else if (facts.launching && !facts.taskArn) {
      const stopped = await stopUnconfirmed(session, settings);
      const later = mayShowLater(session, error, settings.runId);
      message += stopped || (later ? ` ${later}` : "");
    }
    result = {
      result: isCanceled(error) ? "canceled" : "failed",
      message,
      ...(facts.taskDefinitionArn ? { taskDefinitionArn: facts.taskDefinitionArn } : {}),
      ...unsettledField(error),
    };
  }
  // A one-off task leaves the service as it is.
  return concludeWith(session, settings, new ServiceChange(), result);
}

interface Facts {
  taskArn?: string;
  taskDefinitionArn?: string;
  /** RunTask was sent: the task may exist before its ARN is known. */
  launching?: boolean;
  stopped?: boolean;
}

async function execute(session: Session, settings: RunTaskSettings, facts: Facts): Promise<Verdict> {
  const source = await inPhase(session, "preflight", `${settings.cluster}/${settings.service}`, () =>
    preflight(session, settings),
  );
  const td = await resolveTaskDefinition(session, settings);
  facts.taskDefinitionArn = td.arn;
  requireContainer(
    settings.container,
    td.containers.map((c) => c.name ?? ""),
  );
  const input: RunTaskCommandInput = {
    ...launchFields(source),
    cluster: settings.cluster,
    taskDefinition: td.arn,
    count: 1,
    group: RUN_TASK_GROUP,
    startedBy: startedByFor(settings.runId),
    tags: runTaskTags(settings.runId),
    clientToken: clientTokenFor(
      "run",
      settings.runId,
      settings.cluster,
      td.arn,
      settings.container,
      ...settings.command,
    ),
    overrides: { containerOverrides: [{ name: settings.container, command: settings.command }] },
  };
  const command = `${settings.container}: ${settings.command.join(" ")}`;
  // The phase fails with the container's exit, so the log never says "run-task ok" before "failed".
  const ended = (verdict: Verdict) => (verdict.result === "succeeded" ? verdict.message : { failed: verdict.message });
  return inPhase(session, "run-task", command, () => startAndFollow(session, settings, input, td.arn, facts), ended);
}

async function startAndFollow(
  session: Session,
  settings: RunTaskSettings,
  input: RunTaskCommandInput,
  taskDefinitionArn: string,
  facts: Facts,
): Promise<Verdict> {
  const launch = (signal?: AbortSignal) => {
    facts.launching = true;
    return session.aws.ecs.runTask(input, signal);
  };
  const out = await callAws(session, "run-task", "ecs:RunTask", launch, { retry: true, mutating: true });
  const arn = out.tasks?.[0]?.taskArn;
  if (!arn) {
    const failure = out.failures?.[0];
    throw new CageError(
      "aws",
      "run-task",
      `ECS could not start the task: ${inert(failure?.reason ?? "no task returned")}${failure?.detail ? `: ${inert(failure.detail)}` : ""}.`,
      "Check the cluster's capacity and the task's cpu/memory.",
    );
  }
  session.emit({ type: "resource", kind: "run-task", id: arn, detail: { cluster: settings.cluster } });
  facts.taskArn = arn;
  const stopped = await waitUntilStopped(session, settings, new TaskWatch(session, settings.cluster, arn));
  facts.stopped = true;
  return verdictOf(settings, taskDefinitionArn, stopped);
}

/** First RUNNING (or already STOPPED, for a very short task) within the running timeout, then STOPPED. */
async function waitUntilStopped(session: Session, settings: RunTaskSettings, watch: TaskWatch): Promise<Task> {
  const look = (setBy: "taskRunning" | "taskStopped") => ({
    phase: "run-task" as const,
    timeout: settings.timeouts[setBy],
    setBy,
    interval: () => POLL_MS,
  });
  await waitFor(session, {
    ...look("taskRunning"),
    waitingFor: "the task to start",
    check: async () => assessStarted(await watch.refresh("run-task")),
  });
  return waitFor(session, {
    ...look("taskStopped"),
    waitingFor: "the task to finish",
    check: async () =>
      assessFinished(watch.task?.lastStatus === "STOPPED" ? watch.task : await watch.refresh("run-task")),
  });
}

/** A look at the one-off task: started once RUNNING, or already on its way down (a very short task). */
export function assessStarted(task: Task | undefined): Poll<void> {
  const status = task?.lastStatus;
  if (status === "RUNNING" || status === "STOPPED" || task?.desiredStatus === "STOPPED") {
    return { done: true, value: undefined };
  }
  return { done: false, seen: status ?? "not visible yet" };
}

/** A look at the one-off task: finished once STOPPED. */
export function assessFinished(task: Task | undefined): Poll<Task> {
  if (task?.lastStatus === "STOPPED") return { done: true, value: task };
  return { done: false, seen: task?.lastStatus ?? "not visible" };
}

/** Where the task runs, read calls only (a dry run stops after it). */
export async function preflight(session: Session, settings: RunTaskSettings): Promise<LaunchSource> {
  noticeDisagreements(session, settings, settings.context);
  const planned = settings.context?.taskDefinition?.containerDefinitions;
  if (!settings.taskDefinitionArn && planned)
    requireContainer(
      settings.container,
      planned.map((c) => c.name ?? ""),
    );
  const live = await describeService(session, "preflight", settings.cluster, settings.service);
  noticeOtherAccounts(session, settings.context, live?.serviceArn);
  if (live && live.status === "ACTIVE") {
    session.emit({
      type: "notice",
      level: "info",
      message: `Running with the network settings of service '${settings.service}'.`,
    });
    return live;
  }
  const file = settings.context?.service;
  if (!file) {
    throw new CageError(
      "refused",
      "preflight",
      `Service '${settings.service}' does not exist and the deploy context has no service.json to take network settings from.`,
      "Add service.json to the deploy context.",
    );
  }
  session.emit({
    type: "notice",
    level: "info",
    message: "The service does not exist yet: running with service.json's network settings.",
  });
  return file;
}

function requireContainer(container: string, names: string[]): void {
  if (!names.includes(container)) {
    throw new CageError(
      "refused",
      "preflight",
      `Container '${container}' is not in the task definition (it has ${names.map((n) => `'${n}'`).join(", ")}). Nothing was started.`,
      "Name one of those containers.",
    );
  }
}

function verdictOf(settings: RunTaskSettings, taskDefinitionArn: string, task: Task): Verdict {
  const container = task.containers?.find((c) => c.name === settings.container);
  const exitCode = container?.exitCode ?? undefined;
  const base = { taskDefinitionArn, ...(task.taskArn ? { taskArn: task.taskArn } : {}) };
  if (exitCode === undefined) {
    return {
      ...base,
      result: "failed",
      message: `Container '${settings.container}' never ran: the task ${stopDescription(task)}.`,
    };
  }
  if (exitCode === 0) {
    return { ...base, result: "succeeded", exitCode, message: `Container '${settings.container}' exited with code 0.` };
  }
  return {
    ...base,
    result: "failed",
    exitCode,
    message: `Container '${settings.container}' exited with code ${exitCode}: the task ${stopDescription(task)}.`,
  };
}

/** The answer to RunTask never came: the task, if it was started, is found by this run's startedBy and stopped. */
async function stopUnconfirmed(session: Session, settings: RunTaskSettings): Promise<string> {
  const { found, problem } = await unknownTasksOfRun(session, settings, RUN_TASK_GROUP, []);
  let message = problem ? ` ${problem}: stop tasks started by ${startedByFor(settings.runId)} in the ECS console.` : "";
  for (const taskArn of found) {
    message += ` Read back: this run's task had started.${await stopLeftover(session, settings, taskArn)}`;
  }
  return message;
}

async function stopLeftover(session: Session, settings: RunTaskSettings, taskArn: string): Promise<string> {
  const quiet = cleanupSession(session, settings.timeouts.taskStopped);
  session.emit({ type: "cleanup", action: "stop", target: taskArn, outcome: "requested" });
  try {
    await callAws(quiet, "cleanup", "ecs:StopTask", (signal) =>
      quiet.aws.ecs.stopTask(
        { cluster: settings.cluster, task: taskArn, reason: "cage: run timed out or was canceled" },
        signal,
      ),
    );
    session.emit({ type: "cleanup", action: "stop", target: taskArn, outcome: "done" });
    return ` Task ${taskArn} was stopped.`;
  } catch (error) {
    const message = errorText(error);
    session.emit({ type: "cleanup", action: "stop", target: taskArn, outcome: "failed", message });
    return ` Stopping task ${taskArn} failed too (${message}): stop it in the ECS console.`;
  }
}
