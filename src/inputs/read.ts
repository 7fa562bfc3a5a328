/**
 * Reads a command's fields through one front end: what the user gave (an input, a flag), else the variables the
 * table names for that front end, else the default; each parsed by the field's parser, with the name the user
 * knows it by in errors (`'timeout'`, `--timeout`, `CAGE_TIMEOUT (for --timeout)`).
 */

import type { Naming } from "../engine/settings.js";
import { COMMANDS, type Command, commandsTaking } from "./commands.js";
import type { At, Field, FrontEnd } from "./field.js";
import { NAMING } from "./naming.js";
import { InputError } from "./validate.js";

type Env = Record<string, string | undefined>;

/** What a front end hands the reader: the user's text for a field it offers, and the environment. */
export interface Source {
  frontEnd: FrontEnd;
  /** The text given for the field, or undefined (an empty input counts as not given). */
  given(field: Field): string | undefined;
  env: Env;
}

interface Raw {
  text: string;
  label: string;
  /** Where it came from: `--timeout`, `'timeout'`, a variable's name, or "default". */
  from: string;
}

export class Values {
  readonly naming: Naming;
  private readonly parsed = new Map<Field, unknown>();

  /** `command` undefined: every field the front end offers (the CLI's `--help` without a command). */
  constructor(
    private readonly source: Source,
    readonly command: Command | undefined,
  ) {
    this.naming = NAMING[source.frontEnd];
  }

  get frontEnd(): FrontEnd {
    return this.source.frontEnd;
  }

  /** Whether the command takes the field; one it does not take keeps its default. */
  takes(field: Field): boolean {
    return this.command === undefined || COMMANDS[this.command].fields.includes(field);
  }

  /** The field's value: given, from a variable, or its default (parsed); undefined when there is none. */
  get<T>(field: Field<T> & { default: string }): T;
  get<T>(field: Field<T>): T | undefined;
  get<T>(field: Field<T>): T | undefined {
    if (this.parsed.has(field)) return this.parsed.get(field) as T | undefined;
    const raw = this.raw(field);
    const at: At = { label: raw?.label ?? "", frontEnd: this.frontEnd, value: (f) => this.get(f) };
    const value = raw === undefined ? undefined : field.parse(raw.text, at);
    this.parsed.set(field, value);
    return value;
  }

  /** The value, or an error saying how to give it. */
  need<T>(field: Field<T>): T {
    const value = this.get(field);
    if (value !== undefined) return value;
    const variables = field.env?.[this.frontEnd] ?? [];
    const or = variables.length > 0 ? `, or the ${variables.join(" or ")} environment variable` : "";
    throw new InputError(`${this.naming.input(field.name)} is required: set it${or}`);
  }

  /** Where the value came from: the input or flag, a variable's name, or "default". */
  from(field: Field): string | undefined {
    return this.raw(field)?.from;
  }

  /** What an error about the value calls it: `--endpoint-url`, `AWS_ENDPOINT_URL (for --endpoint-url)`. */
  label(field: Field): string {
    return this.raw(field)?.label ?? this.naming.input(field.name);
  }

  /** Parses every field the command takes, so a bad value fails now, even one this run would not use. */
  checkAll(): this {
    if (this.command === undefined) return this;
    const { fields, refuses = [] } = COMMANDS[this.command];
    for (const field of fields) this.get(field);
    const set = refuses.filter((f) => f.offeredBy.includes(this.frontEnd) && this.source.given(f) !== undefined);
    if (set.length > 0) {
      const names = set.map((f) => this.naming.input(f.name));
      const owners = commandsTaking(set[0] as Field)
        .filter((c) => COMMANDS[c].offeredBy.includes(this.frontEnd))
        .map((c) => this.naming.command(c));
      throw new InputError(
        `${names.join(" and ")} ${set.length > 1 ? "apply" : "applies"} to ${owners.join(", ")} only, not ${this.naming.command(this.command)}`,
      );
    }
    return this;
  }

  /**
   * Inputs given that this command does not take, as they would be silently ignored. The runner passes every
   * input's action.yml default, so only a value other than the default counts; an expression default is the
   * runner's own.
   */
  ignored(fields: readonly Field[]): Field[] {
    return fields.filter((field) => {
      if (this.takes(field) || !field.offeredBy.includes(this.frontEnd) || field.actionYmlDefault) return false;
      const given = this.source.given(field);
      return given !== undefined && given !== field.default;
    });
  }

  private raw(field: Field): Raw | undefined {
    const name = this.naming.input(field.name);
    const offered = field.offeredBy.includes(this.frontEnd);
    if (this.takes(field)) {
      const given = offered ? this.source.given(field) : undefined;
      if (given !== undefined) return { text: given, label: name, from: name };
      const variable = this.variable(field);
      if (variable) {
        const label = offered ? `${variable.variable} (for ${name})` : variable.variable;
        return { text: variable.text, label, from: variable.variable };
      }
    }
    const fallback = this.frontEnd === "cli" ? (field.cliDefault ?? field.default) : field.default;
    return fallback === undefined ? undefined : { text: fallback, label: name, from: "default" };
  }

  private variable(field: Field): { variable: string; text: string } | undefined {
    if (this.command !== undefined && COMMANDS[this.command].givenOnly?.includes(field)) return undefined;
    const env = this.source.env;
    if (!field.env?.[this.frontEnd]) return undefined;
    if (field.fromEnv) return field.fromEnv(env);
    for (const variable of field.env?.[this.frontEnd] ?? []) {
      const text = env[variable]?.trim();
      if (text) return { variable, text };
    }
    return undefined;
  }
}
