/** The engine's one error type: what happened, why, and what to do about it. */
import { credentialsHint } from "../aws/credentials-hint.js";
import type { Phase } from "./events.js";
import { inert } from "./inert.js";

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

export class CageError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly phase: Phase | undefined,
    /** What happened and why. */
    readonly what: string,
    /** What to do about it. */
    readonly fix?: string,
    /** The AWS error behind it, if any. */
    cause?: unknown,
  ) {
    super(fix ? `${what} ${fix}` : what, cause === undefined ? undefined : { cause });
    this.name = "CageError";
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

interface AwsErrorShape {
  name?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

const TRANSIENT_CODES = new Set([
  "ThrottlingException",
  "Throttling",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "ServerException",
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
]);

/** Throttling, 5xx and dropped connections: worth another try. AccessDenied and validation errors are not. */
export function isTransient(error: unknown): boolean {
  if (error instanceof CageError) return false;
  const e = error as AwsErrorShape | undefined;
  if (!e || typeof e !== "object") return false;
  if (e.name && TRANSIENT_CODES.has(e.name)) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function awsCode(error: unknown): string {
  const e = error as AwsErrorShape | undefined;
  return e?.name ?? e?.code ?? "Error";
}

/** Wraps a failed AWS call into an error that names the IAM action and says what to do. */
export function awsError(operation: string, phase: Phase | undefined, error: unknown): CageError {
  if (error instanceof CageError) return error;
  const code = awsCode(error);
  const message = (error as AwsErrorShape | undefined)?.message ?? String(error);
  const what = `${operation} failed: ${inert(code)}: ${inert(message)}.`;
  const credentials = credentialsHint(code);
  if (credentials) return new CageError("aws", phase, what, credentials, error);
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(code)) {
    return new CageError(
      "aws",
      phase,
      what,
      `Allow '${operation}' in the IAM policy of the role this runs as (the README lists the policy cage needs).`,
      error,
    );
  }
  if (isTransient(error)) {
    return new CageError("aws", phase, what, "AWS kept failing after retries; run again later.", error);
  }
  return new CageError("aws", phase, what, undefined, error);
}
