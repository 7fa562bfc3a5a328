/**
 * How each front end names its inputs and commands in a message: the action `'container-health-timeout'` and
 * `command: up`, the CLI `--container-health-timeout` and `cage up`. A hint that names a fix names it this way, so
 * it names what exists in the front end in use.
 */
import type { Timeouts } from "../engine/settings.js";
import type { FrontEnd } from "./field.js";
import { TIMEOUT_FIELDS } from "./fields.js";

export interface Naming {
  input(name: string): string;
  command(name: string): string;
}

export const ACTION_NAMING: Naming = {
  input: (name) => `'${name}'`,
  command: (name) => `command: ${name}`,
};

export const CLI_NAMING: Naming = {
  input: (name) => `--${name}`,
  command: (name) => `cage ${name}`,
};

export const NAMING: Record<FrontEnd, Naming> = { action: ACTION_NAMING, cli: CLI_NAMING };

/** The input (and flag) that sets each timeout, kebab-case: `containerHealth` → `container-health-timeout`. */
export const TIMEOUT_INPUTS = Object.fromEntries(
  Object.entries(TIMEOUT_FIELDS).map(([key, field]) => [key, field.name]),
) as Record<keyof Timeouts, string>;
