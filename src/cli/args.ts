/**
 * Reads the command line: the command, each flag given (canarycage's camelCase aliases mapped to the kebab-case
 * names of the input table) and the positionals. The flag values, the variables and the defaults are read and
 * parsed through the table (src/inputs/read.ts), as the action's inputs are.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type Command, commandsOf, fieldsOf } from "../inputs/commands.js";
import type { Field } from "../inputs/field.js";
import { FIELDS } from "../inputs/fields.js";
import { type Source, Values } from "../inputs/read.js";
import { didYouMean } from "../shared/did-you-mean.js";

export class UsageError extends Error {
  override name = "UsageError";
}

export type CliCommand = Exclude<Command, "setup" | "plan">;
export const CLI_COMMANDS = commandsOf("cli") as CliCommand[];

export interface ParsedArgs {
  command?: CliCommand;
  /** The flags given, by field name: the text given, or `true` for a switch given alone. */
  given: Record<string, string>;
  positionals: string[];
  /** The command's fields: flags, then variables, then defaults. */
  values: Values;
}

/** Every field the CLI offers, by its name and its aliases. */
const CLI_FIELDS: Field[] = Object.values(FIELDS).filter((f: Field) => f.offeredBy.includes("cli"));
const byName = new Map<string, Field>();
for (const field of CLI_FIELDS) {
  byName.set(field.name, field);
  for (const alias of field.aliases ?? []) byName.set(alias, field);
}

/** `--updateService` → `--update-service`; `--json=false` → no flag; unknown flags refused with a suggestion. */
function normalize(argv: string[]): { args: string[]; switches: Record<string, string> } {
  const args: string[] = [];
  const switches: Record<string, string> = {};
  let passthrough = false;
  for (const arg of argv) {
    if (passthrough || !arg.startsWith("--") || arg === "--") {
      if (arg === "--") passthrough = true;
      args.push(arg);
      continue;
    }
    const [rawName = "", ...rest] = arg.slice(2).split("=");
    const value = rest.length > 0 ? rest.join("=") : undefined;
    const field = byName.get(rawName);
    if (!field) {
      const hint = didYouMean(rawName, [...byName.keys()]);
      throw new UsageError(`unknown flag --${rawName}${hint ? `; did you mean --${byName.get(hint)?.name}?` : ""}`);
    }
    if (field.flag === "switch") {
      switches[field.name] = value ?? "true";
      args.push(`--${field.name}`);
      continue;
    }
    args.push(value === undefined ? `--${field.name}` : `--${field.name}=${value}`);
  }
  return { args, switches };
}

export function parseCommandLine(argv: string[], env: Record<string, string | undefined>): ParsedArgs {
  const [first, ...rest] = argv;
  const command = CLI_COMMANDS.find((c) => c === first);
  if (first !== undefined && !first.startsWith("-") && !command) {
    const hint = didYouMean(first, CLI_COMMANDS);
    throw new UsageError(`unknown command '${first}'${hint ? `; did you mean '${hint}'?` : ""}; see cage --help`);
  }
  const { args, switches } = normalize(command ? rest : argv);
  const options: NonNullable<ParseArgsConfig["options"]> = Object.fromEntries(
    CLI_FIELDS.map((f) => [
      f.name,
      { type: f.flag === "switch" ? "boolean" : "string", multiple: f.repeatable === true },
    ]),
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
  const taken = command ? fieldsOf(command, "cli") : CLI_FIELDS;
  const given: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (command && !taken.some((f) => f.name === name)) {
      throw new UsageError(`--${name} does not apply to '${command}'; see cage ${command} --help`);
    }
    given[name] = switches[name] ?? (Array.isArray(value) ? value.join("\n") : String(value));
  }
  const source: Source = { frontEnd: "cli", env, given: (field) => given[field.name] || undefined };
  return {
    ...(command ? { command } : {}),
    given,
    positionals: parsed.positionals,
    values: new Values(source, command),
  };
}
