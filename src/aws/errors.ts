/** What an error from the AWS SDK (or the network under it) means, read from its name and metadata. */

interface AwsErrorShape {
  name?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  /** Node's system errors (ECONNRESET) carry their name here. */
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

const ACCESS_DENIED_CODES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "NotAuthorized",
  "NotAuthorizedException",
]);

/** The SDK error's name (its AWS error code, e.g. `ThrottlingException`), or a system error's code. */
export function errorName(error: unknown): string {
  const e = error as AwsErrorShape | undefined;
  if (!e || typeof e !== "object") return "Error";
  return e.name ?? e.code ?? "Error";
}

/** Throttling, 5xx and dropped connections: worth another try. AccessDenied and validation errors are not. */
export function isTransient(error: unknown): boolean {
  const e = error as AwsErrorShape | undefined;
  if (!e || typeof e !== "object") return false;
  if (e.name && TRANSIENT_CODES.has(e.name)) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/** The caller lacks an IAM permission for the call (credentials that AWS rejects are another matter). */
export function isAccessDenied(code: string): boolean {
  return ACCESS_DENIED_CODES.has(code);
}
