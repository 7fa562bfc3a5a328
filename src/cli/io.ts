/** What a CLI command may touch of the process: its streams, environment and clock; injected for tests. */
import type { Clock } from "../shared/clock.js";
import { inertLines } from "../shared/inert.js";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** process.version, to say once that it is past its end of life. */
  nodeVersion?: string;
  /** The running script (dist/cli.js), to find files shipped beside it. */
  scriptPath?: string;
  /** Aborted on SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** Only when stdout is a terminal: a line of stdout in a colour (an SGR parameter such as "31"). */
  outStyled?(line: string, sgr: string): void;
}

type Stream = { write(text: string): unknown; on?(event: "error", listener: (error: Error) => void): unknown };

/**
 * A reader that goes away (`cage rollout | head`) closes the pipe: the rest of the output is dropped, and the
 * command goes on to its end, cleanup included, instead of dying on EPIPE with a canary running.
 */
function untilClosed(stream: Stream): (text: string) => void {
  let closed = false;
  stream.on?.("error", (error: Error & { code?: string }) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** As lineWriter, in a colour: the line is made inert first, so the only escape sequences are these two. */
export function styledLineWriter(stream: Stream): (line: string, sgr: string) => void {
  const write = untilClosed(stream);
  return (line, sgr) => write(`\u001b[${sgr}m${inertLines(line)}\u001b[0m\n`);
}

/** The last guard before a stream: whatever a command prints, no line of it can act in a terminal or on the runner. */
export function lineWriter(stream: Stream): (line: string) => void {
  const write = untilClosed(stream);
  return (line) => write(`${inertLines(line)}\n`);
}
