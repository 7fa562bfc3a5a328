/** AWS errors as row statuses, each with what happened and what to do. */
import { credentialsHint } from "../aws/credentials-hint.js";
import type { RowStatus } from "./types.js";

export interface RowProblem {
  status: RowStatus;
  reason: string;
}

function nameOf(error: unknown): string {
  return (error as { name?: string })?.name ?? "Error";
}

function messageOf(error: unknown): string {
  return (error as { message?: string })?.message ?? String(error);
}

export function isAccessDenied(error: unknown): boolean {
  const name = nameOf(error);
  return (
    name === "AccessDeniedException" ||
    name === "AccessDenied" ||
    name === "UnauthorizedOperation" ||
    (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 403
  );
}

/** `what` names the call and resource (`ecr:BatchGetImage on repository web in 123456789012/us-east-1`). */
export function problemOf(error: unknown, what: string, permission: string): RowProblem {
  const name = nameOf(error);
  const message = messageOf(error);
  if (isAccessDenied(error)) {
    return {
      status: "ACCESS_DENIED",
      reason:
        `${what} was denied (${name}: ${message}); grant ${permission} to the role running the audit` +
        " (and, for another account's registry, allow it in the repository policy)",
    };
  }
  const credentials = credentialsHint(name);
  return { status: "ERROR", reason: `${what} failed (${name}: ${message})${credentials ? `; ${credentials}` : ""}` };
}

export function errorName(error: unknown): string {
  return nameOf(error);
}
