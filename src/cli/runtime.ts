/** What the CLI says about the Node.js it runs on, once, before any command output. */

/** The oldest Node.js major still supported upstream; the AWS SDK requires it from January 2027. */
export const OLDEST_SUPPORTED_NODE = 22;

/** A one-line note when `version` (process.version) is a Node.js past its end of life, else undefined. */
export function oldNodeNote(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isFinite(major) || major >= OLDEST_SUPPORTED_NODE) return undefined;
  return `note: Node.js ${version} is past its end of life; cage still runs on it, but the AWS SDK it uses needs Node.js ${OLDEST_SUPPORTED_NODE} or later from January 2027: upgrade Node.js.`;
}
