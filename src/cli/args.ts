/** Reads the command line and the environment into one validated set of flag values. */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { didYouMean } from "../shared/did-you-mean.js";
import { COMMANDS, type Command, FLAGS, type FlagSpec } from "./flags.js";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface ParsedArgs {
  command?: Command;
  values: Record<string, string | boolean | undefined>;
  /** Where each value came from: `--flag`, or the environment variable's name. */
  sources: Record<string, string>;
  positionals: string[];
}

const byAlias = new Map<string, FlagSpec>();
for (const flag of FLAGS) {
  byAlias.set(flag.name, flag);
  for (const alias of flag.aliases ?? []) byAlias.set(alias, flag);
}

function normalize(argv: string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of argv) {
    if (passthrough || !arg.startsWith("--") || arg === "--") {
      if (arg === "--") passthrough = true;
      out.push(arg);
      continue;
    }
    const [rawName = "", ...rest] = arg.slice(2).split("=");
    const value = rest.length > 0 ? rest.join("=") : undefined;
    const spec = byAlias.get(rawName);
    if (!spec) {
      const hint = didYouMean(rawName, [...byAlias.keys()]);
      throw new UsageError(`unknown flag --${rawName}${hint ? `; did you mean --${byAlias.get(hint)?.name}?` : ""}`);
    }
    if (spec.type === "boolean" && value !== undefined) {
      if (!/^(true|false)$/i.test(value)) throw new UsageError(`--${spec.name} is true or false, got '${value}'`);
      if (value.toLowerCase() === "true") out.push(`--${spec.name}`);
      continue;
    }
    out.push(value === undefined ? `--${spec.name}` : `--${spec.name}=${value}`);
  }
  return out;
}

/** A cleanup reads --run-id only from the command line: GITHUB_RUN_ID would narrow it to the current run. */
export function envApplies(spec: FlagSpec, command: Command | undefined): boolean {
  return !command || !spec.envFor || spec.envFor.includes(command);
}

function fromEnv(spec: FlagSpec, env: Record<string, string | undefined>): [string, string] | undefined {
  for (const name of spec.env ?? []) {
    const value = env[name];
    if (value !== undefined && value !== "") return [name, value];
  }
  return undefined;
}

export function parseCommandLine(argv: string[], env: Record<string, string | undefined>): ParsedArgs {
  const [first, ...rest] = argv;
  const command = COMMANDS.find((c) => c === first);
  if (first !== undefined && !first.startsWith("-") && !command) {
    const hint = didYouMean(first, COMMANDS);
    throw new UsageError(`unknown command '${first}'${hint ? `; did you mean '${hint}'?` : ""}; see cage --help`);
  }
  const args = normalize(command ? rest : argv);
  const options: NonNullable<ParseArgsConfig["options"]> = Object.fromEntries(
    FLAGS.map((f) => [f.name, { type: f.type }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(
      /^Option '(--[\w-]+)(?: <value>)?' argument missing$/,
      "$1 needs a value",
    );
    throw new UsageError(message);
  }
  const values: ParsedArgs["values"] = {};
  const sources: ParsedArgs["sources"] = {};
  for (const spec of FLAGS) {
    const given = parsed.values[spec.name];
    if (given !== undefined) {
      if (command && spec.commands !== "all" && !spec.commands.includes(command)) {
        throw new UsageError(`--${spec.name} does not apply to '${command}'; see cage ${command} --help`);
      }
      values[spec.name] = given as string | boolean;
      sources[spec.name] = `--${spec.name}`;
      continue;
    }
    const applies =
      !command || ((spec.commands === "all" || spec.commands.includes(command)) && envApplies(spec, command));
    const envValue = applies ? fromEnv(spec, env) : undefined;
    if (!envValue) continue;
    const [name, value] = envValue;
    if (spec.type === "boolean") {
      if (!/^(true|false|1|0)$/i.test(value)) throw new UsageError(`${name} is true or false, got '${value}'`);
      values[spec.name] = /^(true|1)$/i.test(value);
    } else {
      values[spec.name] = value;
    }
    sources[spec.name] = name;
  }
  return { ...(command ? { command } : {}), values, sources, positionals: parsed.positionals };
}
