/** Waiting for AWS state through the injected clock: deadlines per phase and overall, heartbeats, cancellation. */

import { errorName, isTransient } from "../aws/errors.js";
import { formatDuration } from "../shared/duration.js";
import { inert } from "../shared/inert.js";
import { awsError, CageError, UnsettledCallError } from "./errors.js";
import type { Phase } from "./events.js";
import type { Session } from "./session.js";
import { TIMEOUT_INPUTS, type Timeouts } from "./settings.js";

/** Heartbeats during a long wait come at most this often. */
export const HEARTBEAT_MS = 30_000;

export type Poll<T> =
  | { done: true; value: T }
  /** Not there yet: what was seen, and optionally when to look again (ms from now). */
  | { done: false; seen: string; next?: number }
  /** A definite failure: the wait ends with it. */
  | { done: false; failed: CageError };

export interface WaitSpec<T> {
  phase: Phase;
  /** Completes "timed out after 5m00s waiting for …". */
  waitingFor: string;
  /** This wait's budget in ms; the overall deadline may cut it shorter. */
  timeout: number;
  /** Where `timeout` comes from: a setting, whose input the timeout's hint names, or what it is derived from. */
  setBy: keyof Timeouts | { derived: string };
  /** Delay before the next look, given the time already waited. */
  interval: (elapsed: number) => number;
  check: () => Promise<Poll<T>>;
}

export async function waitFor<T>(session: Session, spec: WaitSpec<T>): Promise<T> {
  const { clock } = session;
  const start = clock.now();
  const deadline = Math.min(start + spec.timeout, session.deadline);
  let seen = "nothing yet";
  let quietSince = start;
  for (;;) {
    throwIfCanceled(session, spec.phase);
    let poll: Poll<T>;
    try {
      poll = await spec.check();
    } catch (error) {
      throwIfCanceled(session, spec.phase);
      if (!isTransient(error)) throw error;
      poll = { done: false, seen: `${seen} (then AWS answered ${inert(errorName(error))}; retrying)` };
    }
    if (poll.done) return poll.value;
    if ("failed" in poll) throw poll.failed;
    const now = clock.now();
    if (poll.seen !== seen) {
      seen = poll.seen;
      quietSince = now;
    } else if (now - quietSince >= HEARTBEAT_MS) {
      session.emit({ type: "heartbeat", phase: spec.phase, message: `waiting for ${spec.waitingFor}: ${seen}` });
      quietSince = now;
    }
    if (now >= deadline) throw timedOut(session, spec, now - start, seen, deadline < start + spec.timeout);
    await pause(session, Math.min(poll.next ?? spec.interval(now - start), deadline - now), spec.phase);
  }
}

function timedOut<T>(session: Session, spec: WaitSpec<T>, waited: number, seen: string, overall: boolean): CageError {
  const what = `Timed out after ${formatDuration(waited)} waiting for ${spec.waitingFor} (phase ${spec.phase}); last seen: ${seen}.`;
  if (overall) {
    const fix = `The overall timeout (${formatDuration(session.overallTimeout)}) ran out; raise ${session.naming.input(TIMEOUT_INPUTS.overall)} if the whole command needs longer.`;
    return new CageError("timeout", spec.phase, what, fix, { timeout: "overall" });
  }
  if (typeof spec.setBy === "string") {
    const fix = `Raise ${session.naming.input(TIMEOUT_INPUTS[spec.setBy])} (now ${formatDuration(spec.timeout)}) if this is expected to take longer.`;
    return new CageError("timeout", spec.phase, what, fix, { timeout: spec.setBy });
  }
  return new CageError(
    "timeout",
    spec.phase,
    `${what} That wait is ${spec.setBy.derived} (${formatDuration(spec.timeout)}).`,
  );
}

/** Sleeps on the injected clock; a cancellation during the sleep becomes a `canceled` CageError. */
export async function pause(session: Session, ms: number, phase: Phase): Promise<void> {
  if (ms <= 0) return;
  try {
    await session.clock.sleep(ms, session.signal);
  } catch (error) {
    throwIfCanceled(session, phase);
    throw error;
  }
}

export function throwIfCanceled(session: Session, phase: Phase): void {
  if (session.signal?.aborted) {
    throw new CageError("canceled", phase, `Canceled during ${phase}.`);
  }
}

export interface CallOptions {
  /** Retry transient failures (throttling, 5xx, dropped connections). Only for calls safe to repeat. */
  retry?: boolean;
  /** The call changes the world: once sent, a cancel does not cut it off (see `settled`). */
  mutating?: boolean;
}

/** How long a mutating call canceled in flight is given to answer (the runner kills a canceled step after 10 s). */
export const SETTLE_MS = 5_000;

const RETRY_DELAYS = [1_000, 2_000, 4_000, 8_000];

/**
 * One AWS call, named by its IAM action for messages. Transient failures of calls that are safe to repeat are
 * retried a few times within the overall deadline (the only retries: the SDK sends each request once); every
 * other failure becomes a CageError saying what to do.
 */
export async function callAws<T>(
  session: Session,
  phase: Phase,
  operation: string,
  send: (signal?: AbortSignal) => Promise<T>,
  options: CallOptions = { retry: true },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    throwIfCanceled(session, phase);
    const sentAt = session.clock.now();
    try {
      return options.mutating ? await settled(session, phase, operation, send, sentAt) : await send(session.signal);
    } catch (error) {
      if (error instanceof UnsettledCallError) throw error;
      // A lost answer after a cancel: the call may have taken effect, and it is not sent again to find out.
      if (options.mutating && session.signal?.aborted && isTransient(error)) {
        throw new UnsettledCallError(operation, phase, sentAt, "its answer was lost");
      }
      throwIfCanceled(session, phase);
      const delay = RETRY_DELAYS[attempt];
      const retry = options.retry !== false && isTransient(error) && delay !== undefined;
      if (!retry || session.clock.now() + delay > session.deadline) throw awsError(operation, phase, error);
      await pause(session, delay, phase);
    }
  }
}

/**
 * Sends a mutating call without the cancellation: aborting the request would only stop us from hearing what AWS
 * did. When the command is canceled meanwhile, the answer is awaited for SETTLE_MS more; the caller records what it
 * says and the next step raises the cancel. No answer by then is an UnsettledCallError: what it did is not known.
 */
async function settled<T>(
  session: Session,
  phase: Phase,
  operation: string,
  send: (signal?: AbortSignal) => Promise<T>,
  sentAt: number,
): Promise<T> {
  const call = send(undefined);
  const signal = session.signal;
  if (!signal) return call;
  const answered = call.then(
    () => "answered" as const,
    () => "answered" as const,
  );
  let onAbort = () => {};
  const canceled = new Promise<"canceled">((resolve) => {
    onAbort = () => resolve("canceled");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  const first = await Promise.race([answered, canceled]);
  signal.removeEventListener("abort", onAbort);
  if (first === "answered") return call;
  const stopWaiting = new AbortController();
  const late = session.clock.sleep(SETTLE_MS, stopWaiting.signal).then(
    () => "late" as const,
    () => "late" as const,
  );
  const second = await Promise.race([answered, late]);
  stopWaiting.abort();
  if (second === "answered") return call;
  throw new UnsettledCallError(operation, phase, sentAt, `no answer came within ${formatDuration(SETTLE_MS)}`);
}

/**
 * A call that has no client token is never sent again blindly: after a transient failure `tookEffect` looks
 * whether it happened anyway (its answer was lost) and that is used, else it is sent again with callAws's backoff,
 * within the deadline.
 */
export async function callOnceThenCheck<T>(
  session: Session,
  phase: Phase,
  operation: string,
  send: (signal?: AbortSignal) => Promise<T>,
  tookEffect: () => Promise<T | undefined>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await callAws(session, phase, operation, send, { retry: false, mutating: true });
    } catch (error) {
      const delay = RETRY_DELAYS[attempt];
      const transient = error instanceof CageError && error.kind === "aws" && error.transient;
      if (!transient || delay === undefined) throw error;
      const found = await tookEffect();
      if (found !== undefined) return found;
      if (session.clock.now() + delay > session.deadline) throw error;
      await pause(session, delay, phase);
    }
  }
}
