/**
 * The post step: when the main step was canceled, killed or crashed before the engine finished (and cleaned up),
 * run the engine's cleanup for what the main step recorded and for anything its run started (found by startedBy).
 * Silent when there is nothing to do.
 */

import * as core from "@actions/core";
import { createAwsPorts } from "../aws/clients.js";
import type { AwsPorts } from "../aws/ports.js";
import { cleanup } from "../engine/cleanup.js";
import { startedByFor } from "../engine/labels.js";
import { DEFAULT_TIMEOUTS, type Timeouts } from "../engine/settings.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { endpointsOf } from "../inputs/validate.js";
import { type Clock, systemClock } from "../shared/clock.js";
import {
  hasWork,
  lastUnsettled,
  type PendingCleanup,
  parsePending,
  STATE_CLEANUP,
  STATE_FINISHED,
} from "./cleanup-state.js";
import * as stepLog from "./log.js";
import { errorMessage } from "./publish.js";

export interface PostDeps {
  env: Record<string, string | undefined>;
  aws: (pending: PendingCleanup, env: Record<string, string | undefined>) => AwsPorts;
  clock: Clock;
}

const defaults: PostDeps = {
  env: process.env,
  aws: (pending, env) => createAwsPorts({ region: pending.region, endpoints: endpointsOf(env) }),
  clock: systemClock,
};

/** A canceled job's post step has minutes, not the main step's budget: stop without waiting for draining. */
const POST_TIMEOUTS: Timeouts = { ...DEFAULT_TIMEOUTS, taskStopped: 2 * 60_000, overall: 5 * 60_000 };

/** A call whose answer never came has had this long, from when it was sent, to take effect before the post step looks. */
export const UNSETTLED_WAIT_MS = 30_000;

export async function runPost(overrides: Partial<PostDeps> = {}): Promise<void> {
  const deps = { ...defaults, ...overrides };
  if (core.getState(STATE_FINISHED) === "true") return;
  const pending = parsePending(core.getState(STATE_CLEANUP));
  if (!pending || !hasWork(pending)) return;
  const sentAt = lastUnsettled(pending);
  if (sentAt === undefined) {
    stepLog.info(`The main step did not finish: cleaning up what it started in service ${pending.service}.`);
  } else {
    const calls = (pending.unsettled ?? []).map((u) => String(u.operation)).join(", ");
    stepLog.info(
      `The main step was canceled while ${calls} was in flight, and its answer never came: looking again for what this run started in service ${pending.service}.`,
    );
    const wait = Math.min(UNSETTLED_WAIT_MS, sentAt + UNSETTLED_WAIT_MS - deps.clock.now());
    if (wait > 0) await deps.clock.sleep(wait);
  }
  let aws: AwsPorts;
  try {
    aws = deps.aws(pending, deps.env);
  } catch (error) {
    stepLog.warning(`Could not reach AWS to clean up: ${errorMessage(error)}. ${leftBehind(pending)}`);
    return;
  }
  const log = new stepLog.GroupedLog();
  const { region, cluster, service, runId, recorded } = pending;
  const result = await cleanup(
    { region, cluster, service, runId, recorded, drain: false, timeouts: POST_TIMEOUTS },
    { aws, clock: deps.clock, events: log.write, naming: ACTION_NAMING },
  );
  log.close();
  // The verdict is already in the log; a failure also becomes an annotation on the run.
  if (result.result !== "succeeded") stepLog.warning(`${result.message} ${leftBehind(pending)}`);
  else if ((pending.unsettled ?? []).some((u) => u.operation === "RunTask" || u.operation === "StartTask")) {
    // One look, UNSETTLED_WAIT_MS after the call: a task AWS starts later than that is not seen here.
    stepLog.info(
      `Looked ${Math.round(UNSETTLED_WAIT_MS / 1000)} s after the call was sent. If a task started by ${startedByFor(runId)} appears later, ${ACTION_NAMING.command("cleanup")} with --run-id ${runId} removes it.`,
    );
  }
}

function leftBehind(pending: PendingCleanup): string {
  const ids = pending.recorded.map((r) => (r.kind === "target-registration" ? `target ${r.id}` : `task ${r.id}`));
  const found = `tasks started by ${startedByFor(pending.runId)} in cluster ${pending.cluster}`;
  return `Check for: ${[...ids, found].join("; ")}.`;
}
