/** The `cage` CLI: read the command line → run the command → print. Errors the user can fix exit 2 with one line. */
import { FIELDS } from "../inputs/fields.js";
import { InputError } from "../inputs/validate.js";
import { systemClock } from "../shared/clock.js";
import { VERSION } from "../version.js";
import { type CliCommand, parseCommandLine, UsageError } from "./args.js";
import { helpText } from "./help.js";
import { type CliIo, lineWriter, styledLineWriter } from "./io.js";
import { oldNodeNote } from "./runtime.js";

export type CommandHandler = (args: ReturnType<typeof parseCommandLine>, io: CliIo) => Promise<number>;

/** Each command's modules are imported when it runs: `cage rollout` never loads the simulator or the audit. */
const handlers: Partial<Record<CliCommand, () => Promise<CommandHandler>>> = {
  up: async () => (await import("./commands/deploy.js")).deployCommand,
  rollout: async () => (await import("./commands/deploy.js")).deployCommand,
  run: async () => (await import("./commands/deploy.js")).deployCommand,
  cleanup: async () => (await import("./commands/deploy.js")).deployCommand,
  continue: async () => (await import("./commands/deploy.js")).deployCommand,
  rollback: async () => (await import("./commands/deploy.js")).deployCommand,
  audit: async () => (await import("./commands/audit.js")).auditCommand,
  verify: async () => (await import("./commands/verify.js")).verifyCommand,
  demo: async () => (await import("./commands/demo.js")).demoCommand,
  diff: async () => (await import("./commands/diff.js")).diffCommand,
};

function processIo(): CliIo {
  // The SDK's own multi-line warning would land in the middle of the timeline; runCli says it once, first.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
  }
  return {
    out: lineWriter(process.stdout),
    err: lineWriter(process.stderr),
    env: process.env,
    clock: systemClock,
    nodeVersion: process.version,
    ...(process.argv[1] ? { scriptPath: process.argv[1] } : {}),
    signal: controller.signal,
    ...(process.stdout.isTTY ? { outStyled: styledLineWriter(process.stdout) } : {}),
  };
}

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "version")) {
      io.out(VERSION);
      return 0;
    }
    // The simulator has its own flags (--world, --port, ...); everything after `sim` is its own.
    if (argv[0] === "sim") {
      sayOldNode(io);
      return await (await import("./commands/sim.js")).simCommand(argv.slice(1), io);
    }
    const args = parseCommandLine(argv, io.env);
    const help = args.given[FIELDS.help.name] !== undefined && args.values.get(FIELDS.help) === true;
    if (help || !args.command) {
      const text = helpText(args.command);
      if (!args.command && !help) {
        io.err(text);
        return 2;
      }
      io.out(text);
      return 0;
    }
    const handler = await handlers[args.command]?.();
    if (!handler) {
      io.err(`cage: '${args.command}' is not available in this build`);
      return 2;
    }
    sayOldNode(io);
    return await handler(args, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`cage: ${message}`);
    return (await isUserError(error)) ? 2 : 1;
  }
}

/** Once per command, before its first line of output. */
function sayOldNode(io: CliIo): void {
  const note = io.nodeVersion ? oldNodeNote(io.nodeVersion) : undefined;
  if (note) io.err(`cage: ${note}`);
}

/** Errors the user can fix. The classes of the context loader and the ignore file load only when one occurred. */
async function isUserError(error: unknown): Promise<boolean> {
  if (error instanceof UsageError || error instanceof InputError) return true;
  const [{ DeployContextError }, { IgnoreFileError }] = await Promise.all([
    import("../context/load.js"),
    import("../audit/ignore-file.js"),
  ]);
  return error instanceof DeployContextError || error instanceof IgnoreFileError;
}
