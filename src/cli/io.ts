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

/** As lineWriter, in a colour: the line is made inert first, so the only escape sequences are these two. */
export function styledLineWriter(stream: { write(text: string): unknown }): (line: string, sgr: string) => void {
  return (line, sgr) => {
    stream.write(`\u001b[${sgr}m${inertLines(line)}\u001b[0m\n`);
  };
}

/** The last guard before a stream: whatever a command prints, no line of it can act in a terminal or on the runner. */
export function lineWriter(stream: { write(text: string): unknown }): (line: string) => void {
  return (line) => {
    stream.write(`${inertLines(line)}\n`);
  };
}
