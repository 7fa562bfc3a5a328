/** Judges the canary, failing fast on the first definite failure: running, container health, targets, idle, soak. */
import type { Task } from "@aws-sdk/client-ecs";
import { formatDuration } from "../shared/duration.js";
import { assertAlive, assessContainerHealth, assessRunning, checkedContainers, type Evaluation } from "./canary.js";
import { soakCanary } from "./canary-soak.js";
import { waitFor } from "./polling.js";
import { inPhase, type Session } from "./session.js";
import { registerCanary, waitForHealthyTargets } from "./target-health.js";
import { targetGroupEntries } from "./targets.js";

/** Task state is polled this often: a change is noticed within about 1.5 s on average. */
export const TASK_POLL_MS = 3_000;

export async function evaluateCanary(session: Session, evaluation: Evaluation): Promise<void> {
  const { watch } = evaluation;
  await inPhase(session, "canary-running", watch.taskArn, () => waitUntilRunning(session, evaluation));
  await checkContainerHealth(session, evaluation);
  if (targetGroupEntries(evaluation.loadBalancers).length > 0) {
    const targets = await inPhase(session, "target-registration", undefined, () => registerCanary(session, evaluation));
    await inPhase(session, "target-health", `${targets.length} target group(s)`, () =>
      waitForHealthyTargets(session, evaluation, targets),
    );
  } else {
    await idle(session, evaluation);
  }
  await soakCanary(session, evaluation, evaluation.soak);
  const task = await evaluation.watch.refresh("canary-idle");
  if (task) assertAlive(task, evaluation, "canary-idle");
}

function waitUntilRunning(session: Session, { watch, timeouts }: Evaluation): Promise<Task> {
  return waitFor(session, {
    phase: "canary-running",
    waitingFor: "the canary task to reach RUNNING",
    timeout: timeouts.taskRunning,
    setBy: "taskRunning",
    interval: () => TASK_POLL_MS,
    check: async () => assessRunning(await watch.refresh("canary-running")),
  });
}

async function checkContainerHealth(session: Session, evaluation: Evaluation): Promise<void> {
  const checked = checkedContainers(evaluation.containers);
  if (checked.length === 0) {
    session.emit({ type: "phase-started", phase: "container-health" });
    session.emit({
      type: "phase-finished",
      phase: "container-health",
      outcome: "skipped",
      detail: "no container has a health check",
    });
    return;
  }
  // The first look reuses the task RUNNING was seen in.
  let seen = evaluation.watch.task;
  await inPhase(session, "container-health", checked.join(", "), () =>
    waitFor(session, {
      phase: "container-health",
      waitingFor: `container(s) ${checked.join(", ")} to become HEALTHY`,
      timeout: evaluation.timeouts.containerHealth,
      setBy: "containerHealth",
      interval: () => TASK_POLL_MS,
      check: async () => {
        const task = seen ?? (await evaluation.watch.refresh("container-health"));
        seen = undefined;
        return assessContainerHealth(task, evaluation);
      },
    }),
  );
}

async function idle(session: Session, evaluation: Evaluation): Promise<void> {
  const { idleMs } = evaluation;
  if (idleMs <= 0) {
    session.emit({ type: "phase-started", phase: "canary-idle" });
    session.emit({ type: "phase-finished", phase: "canary-idle", outcome: "skipped", detail: "idle duration is 0" });
    return;
  }
  const start = session.clock.now();
  await inPhase(session, "canary-idle", `staying RUNNING for ${formatDuration(idleMs)}`, () =>
    waitFor(session, {
      phase: "canary-idle",
      waitingFor: `the canary to stay RUNNING for ${formatDuration(idleMs)}`,
      timeout: idleMs + 60_000,
      setBy: { derived: "the idle duration and a minute" },
      interval: (elapsed) => Math.min(TASK_POLL_MS, Math.max(0, idleMs - elapsed)),
      check: async () => {
        const task = await evaluation.watch.refresh("canary-idle");
        if (task) assertAlive(task, evaluation, "canary-idle");
        const left = idleMs - (session.clock.now() - start);
        if (left <= 0) return { done: true, value: undefined };
        return { done: false, seen: "RUNNING", next: Math.min(TASK_POLL_MS, left) };
      },
    }),
  );
}
