/** The engine's one error type: what happened, why, and what to do about it, with the facts behind it as data. */
import { credentialsHint } from "../aws/credentials-hint.js";
import { errorName, isAccessDenied, isTransient } from "../aws/errors.js";
import { inert } from "../shared/inert.js";
import type { Phase } from "./events.js";
import type { Timeouts } from "./settings.js";

export type FailureKind =
  /** The command refused to start: nothing was changed. */
  | "refused"
  /** The canary was evaluated and failed. */
  | "canary-failed"
  /** A deployment ECS ran failed or was rolled back. */
  | "deployment-failed"
  | "timeout"
  | "canceled"
  /** An AWS call failed in a way retrying will not fix. */
  | "aws";

export interface ErrorFacts {
  /** The AWS error code behind it (the SDK error's name, e.g. `TargetGroupNotFound`), read where it was wrapped. */
  awsCode?: string;
  /** That AWS error was throttling, a server fault or a dropped connection: another try may work. */
  transient?: boolean;
  /** The setting whose time ran out; each front end names its own input or flag for it. */
  timeout?: keyof Timeouts;
  cause?: unknown;
}

export class CageError extends Error {
  readonly awsCode?: string;
  readonly transient: boolean;
  readonly timeout?: keyof Timeouts;

  constructor(
    readonly kind: FailureKind,
    readonly phase: Phase | undefined,
    /** What happened and why. */
    readonly what: string,
    /** What to do about it. */
    readonly fix?: string,
    facts: ErrorFacts = {},
  ) {
    super(fix ? `${what} ${fix}` : what, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = "CageError";
    this.transient = facts.transient ?? false;
    if (facts.awsCode !== undefined) this.awsCode = facts.awsCode;
    if (facts.timeout !== undefined) this.timeout = facts.timeout;
  }
}

/**
 * The command was canceled while a mutating call was in flight, and no answer came in the time it was given: what
 * the call did is not known yet, and may show only later.
 */
export class UnsettledCallError extends CageError {
  constructor(
    /** The IAM action of the call, e.g. `ecs:RunTask`. */
    readonly operation: string,
    phase: Phase,
    /** When it was sent, ms since the epoch. */
    readonly sentAt: number,
    /** What became of the answer: "no answer came within 5s", "its answer was lost". */
    answer: string,
  ) {
    super(
      "canceled",
      phase,
      `Canceled during ${phase} while ${operation} was in flight; ${answer}, so what it did is not known yet.`,
    );
    this.name = "UnsettledCallError";
  }
}

/** Whether `error` is the AWS error `codes` name: a CageError wrapping one, read by its typed code. */
export function isAwsError(error: unknown, ...codes: string[]): error is CageError {
  return error instanceof CageError && error.awsCode !== undefined && codes.includes(error.awsCode);
}

/** Wraps a failed AWS call into an error that names the IAM action and says what to do. */
export function awsError(operation: string, phase: Phase | undefined, error: unknown): CageError {
  if (error instanceof CageError) return error;
  const awsCode = errorName(error);
  const facts = { awsCode, transient: isTransient(error), cause: error };
  const message = (error as { message?: string } | undefined)?.message ?? String(error);
  const what = `${operation} failed: ${inert(awsCode)}: ${inert(message)}.`;
  const credentials = credentialsHint(awsCode);
  if (credentials) return new CageError("aws", phase, what, credentials, facts);
  if (isAccessDenied(awsCode)) {
    return new CageError(
      "aws",
      phase,
      what,
      `Allow '${operation}' in the IAM policy of the role this runs as (the README lists the policy cage needs).`,
      facts,
    );
  }
  if (facts.transient)
    return new CageError("aws", phase, what, "AWS kept failing after retries; run again later.", facts);
  return new CageError("aws", phase, what, undefined, facts);
}
