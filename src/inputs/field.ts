/** What a field of the input table is, and the parsers its entries use. The table itself is in fields.ts. */
import { actionBooleanOf, choiceOf, cliBooleanOf, durationOf } from "./validate.js";

export type FrontEnd = "action" | "cli";

/** What a parser knows besides the text: the name to quote, the front end, and the fields it depends on. */
export interface At {
  label: string;
  frontEnd: FrontEnd;
  value<T>(field: Field<T>): T | undefined;
}

export interface Field<T = unknown> {
  /** The action's input and the CLI's flag. */
  name: string;
  /** Which front ends offer it as an input or a flag (a variable may still feed a field a front end does not offer). */
  offeredBy: readonly FrontEnd[];
  /** How the CLI reads it: `--name VALUE`, or `--name` alone for a boolean. */
  flag: "value" | "switch";
  /** The CLI flag may be given more than once: the values reach the parser one per line. */
  repeatable?: boolean;
  /** canarycage's flags, accepted by the CLI. */
  aliases?: readonly string[];
  /** Variables read, first set wins, when the input or flag is empty. */
  env?: Partial<Record<FrontEnd, readonly string[]>>;
  /** A variable whose value is built from more than one (GITHUB_RUN_ID and its attempt). */
  fromEnv?: (env: Record<string, string | undefined>) => { variable: string; text: string } | undefined;
  /** As a user would write it; the value when nothing was given. */
  default?: string;
  /** The CLI's own default, where it differs. */
  cliDefault?: string;
  /** What action.yml declares as the default when the runner fills it in (an expression), not a value. */
  actionYmlDefault?: string;
  /** For --help: `--timeout <duration>`. */
  valueName?: string;
  /** action.yml's description (the CLI's too, unless `help` says it shorter). */
  description: string;
  help?: string;
  parse: (text: string, at: At) => T;
}

export const text = (value: string) => value;
export const bool = (value: string, at: At) =>
  (at.frontEnd === "action" ? actionBooleanOf : cliBooleanOf)(at.label, value);
export const duration = (positive: boolean) => (value: string, at: At) => durationOf(at.label, value, { positive });
export const choice =
  <T extends string>(allowed: readonly T[]) =>
  (value: string, at: At) =>
    choiceOf(at.label, value, allowed);

export const BOTH = ["action", "cli"] as const;
export const ACTION = ["action"] as const;
export const CLI = ["cli"] as const;

/** A timeout's field: a duration longer than 0, with canarycage's flag and variable. */
export function timeout(spec: {
  name: string;
  canarycage?: string;
  env: string;
  default: string;
  description: string;
  help: string;
}) {
  const { canarycage, env, ...rest } = spec;
  return {
    ...rest,
    offeredBy: BOTH,
    flag: "value",
    ...(canarycage ? { aliases: [canarycage] } : {}),
    env: { cli: [env] },
    valueName: "duration",
    parse: duration(true),
  } as const;
}
