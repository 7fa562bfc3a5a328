/**
 * After a cancel or a lost answer, what a command did is read from the world, not assumed: the tasks this run
 * started that the command never heard of, and what the service runs now compared with before.
 */
import type { Service } from "@aws-sdk/client-ecs";
import { tasksOfRun } from "./canary-finder.js";
import { CageError, UnsettledCallError } from "./errors.js";
import type { Phase } from "./events.js";
import { shortTaskDefinition, startedByFor } from "./labels.js";
import { describeService } from "./preflight.js";
import type { ServiceState } from "./service-change.js";
import { cleanupSession, errorText, type Session } from "./session.js";
import type { CommandResult, Target } from "./settings.js";

/** Reading back is a few calls: this bounds them when AWS does not answer. */
const READ_BACK_MS = 60_000;

export function isCanceled(error: unknown): boolean {
  return error instanceof CageError && error.kind === "canceled";
}

/** The call the command was canceled in, if its answer never came. */
export function unsettledBy(error: unknown): UnsettledCallError | undefined {
  return error instanceof UnsettledCallError ? error : undefined;
}

/** The result's `unsettled` field for the error a command stopped with. */
export function unsettledField(error: unknown): Pick<CommandResult, "unsettled"> {
  const call = unsettledBy(error);
  return call ? { unsettled: [{ operation: call.operation, sentAt: call.sentAt }] } : {};
}

/** The live tasks of `group` this run started that are not in `known`: a launch whose answer was lost or came late. */
export async function unknownTasksOfRun(
  session: Session,
  target: Target & { runId: string },
  group: string,
  known: readonly string[],
): Promise<{ found: string[]; problem?: string }> {
  const quiet = cleanupSession(session, READ_BACK_MS);
  try {
    const tasks = await tasksOfRun(quiet, "cleanup", target.cluster, startedByFor(target.runId));
    const found = tasks
      .filter((t) => t.group === group && t.taskArn && !known.includes(t.taskArn))
      .map((t) => t.taskArn as string);
    return { found };
  } catch (error) {
    return { found: [], problem: `listing the tasks this run started failed: ${errorText(error)}` };
  }
}

/**
 * What the service runs now, against what it ran before: changed when it has a deployment of `taskDefinitionArn`
 * it did not have before. Not seeing one proves nothing while the update may still be in flight (`settled` false).
 */
export async function readServiceBack(
  session: Session,
  target: Target,
  before: Service | undefined,
  taskDefinitionArn: string,
  settled: boolean,
  phase: Phase = "cleanup",
): Promise<ServiceState> {
  const quiet = cleanupSession(session, READ_BACK_MS);
  let now: Service | undefined;
  try {
    now = await describeService(quiet, phase, target.cluster, target.service);
  } catch (error) {
    return { changed: "unknown", why: `reading the service back failed (${errorText(error)})` };
  }
  const old = new Set((before?.deployments ?? []).map((d) => d.id));
  const created = (now?.deployments ?? []).find((d) => d.taskDefinition === taskDefinitionArn && !old.has(d.id));
  if (created || (now?.taskDefinition === taskDefinitionArn && before?.taskDefinition !== taskDefinitionArn)) {
    return {
      changed: true,
      readBack: {
        taskDefinition: taskDefinitionArn,
        ...(created?.rolloutState ? { rolloutState: created.rolloutState } : {}),
      },
      ...(now?.serviceArn ? { serviceArn: now.serviceArn } : {}),
      ...(created?.id ? { deploymentId: created.id } : {}),
    };
  }
  if (settled) return { changed: false, readBack: true };
  const why =
    now && now.status !== "INACTIVE"
      ? `it still runs ${shortTaskDefinition(now.taskDefinition ?? "?")}, but the update may yet take effect`
      : "it does not exist yet, but the call creating it may yet take effect";
  return { changed: "unknown", why };
}

/** Calls whose effect a later cleanup must look for: a task, or a canary's target. */
const LEAVING = new Set(["ecs:RunTask", "ecs:StartTask", "elasticloadbalancing:RegisterTargets"]);

/** For a launch or a registration whose answer never came; "" for any other call. */
export function mayShowLater(session: Session, error: unknown, runId: string): string {
  const call = unsettledBy(error);
  if (!call || !LEAVING.has(call.operation)) return "";
  return `What it did may show only later: the action's post step looks again for this run's tasks (startedBy ${startedByFor(runId)}) and targets; else run ${session.naming.command("cleanup")} for this service.`;
}
