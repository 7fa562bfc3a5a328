/**
 * How each front end names its inputs and commands in a message: the action `'container-health-timeout'` and
 * `command: up`, the CLI `--container-health-timeout` and `cage up`. A hint that names a fix names it this way, so
 * it names what exists in the front end in use. Commands are code spans, which the job summary shows as code.
 */
import type { Naming } from "../engine/settings.js";
import { COMMANDS } from "./commands.js";
import type { FrontEnd } from "./field.js";

const offeredBy = (frontEnd: FrontEnd, name: string): boolean =>
  (COMMANDS as Record<string, { offeredBy: readonly FrontEnd[] }>)[name]?.offeredBy.includes(frontEnd) ?? false;

export const ACTION_NAMING: Naming = {
  input: (name) => `'${name}'`,
  command: (name) =>
    offeredBy("action", name) ? `\`command: ${name}\`` : `\`cage ${name}\` (the CLI; \`command: setup\` installs it)`,
};

export const CLI_NAMING: Naming = {
  input: (name) => `--${name}`,
  command: (name) => `\`cage ${name}\``,
};

export const NAMING: Record<FrontEnd, Naming> = { action: ACTION_NAMING, cli: CLI_NAMING };
