/** One command's view of the outside world: AWS, time, cancellation, the event sink and the overall deadline. */
import type { AwsPorts } from "../aws/ports.js";
import type { Clock } from "../shared/clock.js";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import type { CageEvent, Phase } from "./events.js";
import type { CommandName, EngineDeps, InputName } from "./settings.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before it is stamped with the clock's time. */
export type EventBody = DistributiveOmit<CageEvent, "at">;

export interface Session {
  aws: AwsPorts;
  clock: Clock;
  signal?: AbortSignal;
  /** The overall deadline, ms since the epoch. */
  deadline: number;
  /** The overall timeout it was derived from, for messages. */
  overallTimeout: number;
  emit(event: EventBody): void;
  /** How the front end in use names the inputs and commands a hint points to. */
  naming: { input(name: InputName): string; command(name: CommandName): string };
}

export function openSession(deps: EngineDeps, overallTimeout: number): Session {
  const start = deps.clock.now();
  return {
    aws: deps.aws,
    clock: deps.clock,
    signal: deps.signal,
    deadline: start + overallTimeout,
    overallTimeout,
    emit: (event) => deps.events({ ...event, at: deps.clock.now() } as CageEvent),
    naming: deps.naming,
  };
}

/**
 * The session cleanup runs in: it ignores the cancellation that may have triggered it and gets its own deadline,
 * because leaving a canary behind is worse than overrunning by a few minutes.
 */
export function cleanupSession(session: Session, budget: number): Session {
  return {
    ...session,
    signal: undefined,
    deadline: session.clock.now() + budget,
    overallTimeout: budget,
  };
}

/** Emits an event only when it differs from the last one emitted for the same thing (a target, a deployment). */
export class ChangeLog {
  private readonly last = new Map<unknown, string>();

  constructor(private readonly session: Session) {}

  emit(thing: unknown, event: EventBody): void {
    const text = JSON.stringify(event);
    if (this.last.get(thing) === text) return;
    this.last.set(thing, text);
    this.session.emit(event);
  }
}

/** How a phase that returned ended: ok with a detail, or failed with the reason (a task that exited 1). */
export type PhaseEnd = string | undefined | { failed: string };

/** Runs `work` as one phase: emits phase-started, then phase-finished with its outcome. */
export async function inPhase<T>(
  session: Session,
  phase: Phase,
  detail: string | undefined,
  work: () => Promise<T>,
  finished?: (value: T) => PhaseEnd,
): Promise<T> {
  session.emit({ type: "phase-started", phase, ...(detail ? { detail } : {}) });
  try {
    const value = await work();
    const end = finished?.(value);
    if (typeof end === "object") {
      session.emit({ type: "phase-finished", phase, outcome: "failed", detail: end.failed });
    } else {
      session.emit({ type: "phase-finished", phase, outcome: "ok", ...(end ? { detail: end } : {}) });
    }
    return value;
  } catch (error) {
    session.emit({ type: "phase-finished", phase, outcome: "failed", detail: errorText(error) });
    throw error;
  }
}

/** A CageError's message is ours, built from inert values; any other error's is from AWS or the network. */
export function errorText(error: unknown): string {
  if (error instanceof CageError) return error.message;
  return inert(error instanceof Error ? error.message : String(error));
}
