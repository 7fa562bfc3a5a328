/** The `cage` CLI: read the command line → run the command → print. Errors the user can fix exit 2 with one line. */
import { IgnoreFileError } from "../audit/index.js";
import { DeployContextError } from "../context/load.js";
import { systemClock } from "../engine/clock.js";
import { InputError } from "../inputs/validate.js";
import { parseCommandLine, UsageError } from "./args.js";
import { auditCommand } from "./commands/audit.js";
import { demoCommand } from "./commands/demo.js";
import { deployCommand } from "./commands/deploy.js";
import { simCommand } from "./commands/sim.js";
import type { Command } from "./flags.js";
import { helpText } from "./help.js";
import type { CliIo } from "./io.js";

export type CommandHandler = (args: ReturnType<typeof parseCommandLine>, io: CliIo) => Promise<number>;

const handlers: Partial<Record<Command, CommandHandler>> = {
  up: deployCommand,
  rollout: deployCommand,
  run: deployCommand,
  cleanup: deployCommand,
  audit: auditCommand,
  demo: demoCommand,
};

function processIo(): CliIo {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
  }
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    clock: systemClock,
    ...(process.argv[1] ? { scriptPath: process.argv[1] } : {}),
    signal: controller.signal,
  };
}

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    // The simulator has its own flags (--world, --port, ...); everything after `sim` is its own.
    if (argv[0] === "sim") return await simCommand(argv.slice(1), io);
    const args = parseCommandLine(argv, io.env);
    if (args.values.help || !args.command) {
      const text = helpText(args.command);
      if (!args.command && !args.values.help) {
        io.err(text);
        return 2;
      }
      io.out(text);
      return 0;
    }
    const handler = handlers[args.command];
    if (!handler) {
      io.err(`cage: '${args.command}' is not available in this build`);
      return 2;
    }
    return await handler(args, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof InputError ||
      error instanceof DeployContextError ||
      error instanceof IgnoreFileError
    ) {
      io.err(`cage: ${error.message}`);
      return 2;
    }
    io.err(`cage: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
