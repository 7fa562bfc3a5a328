/**
 * Every hint the engine writes names an input or a command through the front end's naming, and every name it can
 * write exists in that front end: an input in action.yml and a value of its `command` input for the action, a
 * flag and a command for the CLI.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AwsPorts } from "../../src/aws/ports.js";
import type { CageError } from "../../src/engine/errors.js";
import { Timeline } from "../../src/engine/events.js";
import { waitFor } from "../../src/engine/polling.js";
import { openSession } from "../../src/engine/session.js";
import { NAMED_COMMANDS, NAMED_INPUTS, type Naming, TIMEOUT_INPUTS, type Timeouts } from "../../src/engine/settings.js";
import { COMMANDS } from "../../src/inputs/commands.js";
import type { Field, FrontEnd as FrontEndName } from "../../src/inputs/field.js";
import { FIELDS } from "../../src/inputs/fields.js";
import { ACTION_NAMING, CLI_NAMING } from "../../src/inputs/naming.js";
import { VirtualClock } from "../../src/sim/clock.js";

const actionInputs = Object.keys((parse(readFileSync("action.yml", "utf8")) as { inputs: object }).inputs);
const cliFlags = (Object.values(FIELDS) as Field[])
  .filter((f) => f.offeredBy.includes("cli"))
  .flatMap((f) => [f.name, ...(f.aliases ?? [])]);
const commandsOf = (frontEnd: FrontEndName) =>
  Object.entries(COMMANDS)
    .filter(([, spec]) => spec.offeredBy.includes(frontEnd))
    .map(([name]) => name);
const ACTION_COMMANDS = commandsOf("action");
const CLI_COMMANDS = commandsOf("cli");

interface FrontEnd {
  name: string;
  naming: Naming;
  /** Every input or flag a message names, by how this front end writes it. */
  inputsIn(message: string): string[];
  /** Every command a message names, as `action:up` (the action's `command` input) or `cli:up`. */
  commandsIn(message: string): string[];
  inputs: readonly string[];
  commands: readonly string[];
}

const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] as string);
const tagged = (front: string, names: readonly string[]) => names.map((name) => `${front}:${name}`);

const FRONT_ENDS: FrontEnd[] = [
  {
    name: "action",
    naming: ACTION_NAMING,
    inputsIn: (m) => all(m, /'([a-z]+(?:-[a-z]+)*)'/g),
    commandsIn: (m) => [
      ...tagged("action", all(m, /`command: ([a-z]+)`/g)),
      ...tagged("cli", all(m, /`cage ([a-z]+)`/g)),
    ],
    inputs: actionInputs,
    // A command the action does not have is the CLI's, which `command: setup` installs.
    commands: [...tagged("action", ACTION_COMMANDS), ...tagged("cli", CLI_COMMANDS)],
  },
  {
    name: "CLI",
    naming: CLI_NAMING,
    inputsIn: (m) => all(m, /--([a-z]+(?:-[a-z]+)*)/g),
    commandsIn: (m) => tagged("cli", all(m, /`cage ([a-z]+)`/g)),
    inputs: cliFlags,
    commands: tagged("cli", CLI_COMMANDS),
  },
];

/** A wait on the given setting that never ends, as the engine's timeout error. */
async function timeoutOf(naming: Naming, setBy: keyof Timeouts, overall = 3_600_000): Promise<CageError> {
  const clock = new VirtualClock();
  const session = openSession({ aws: {} as AwsPorts, clock, events: new Timeline().sink, naming }, overall);
  try {
    await waitFor(session, {
      phase: "canary-running",
      waitingFor: "something",
      timeout: 60_000,
      setBy,
      interval: () => 5_000,
      check: async () => ({ done: false, seen: "nothing" }),
    });
  } catch (error) {
    return error as CageError;
  }
  throw new Error("the wait did not time out");
}

describe.each(FRONT_ENDS)("hints in the $name", (front) => {
  it.each([...NAMED_INPUTS])("name %s as an input that exists", (input) => {
    const named = front.inputsIn(front.naming.input(input));
    expect(named).toEqual([input]);
    expect(front.inputs).toContain(input);
  });

  it.each([...NAMED_COMMANDS])("name the command %s as one that exists", (command) => {
    const named = front.commandsIn(front.naming.command(command));
    expect(named.map((n) => n.split(":")[1])).toContain(command);
    for (const name of named) expect(front.commands).toContain(name);
  });

  it.each(Object.keys(TIMEOUT_INPUTS) as (keyof Timeouts)[])(
    "name the input that sets %s when that wait times out",
    async (key) => {
      const error = await timeoutOf(front.naming, key);
      expect(error.timeout).toBe(key);
      const named = front.inputsIn(error.message);
      expect(named).toEqual([TIMEOUT_INPUTS[key]]);
      for (const input of named) expect(front.inputs).toContain(input);
    },
  );

  it("names the overall timeout's input when the whole command ran out", async () => {
    const error = await timeoutOf(front.naming, "containerHealth", 30_000);
    expect(error.timeout).toBe("overall");
    expect(front.inputsIn(error.message)).toEqual([TIMEOUT_INPUTS.overall]);
    expect(front.inputs).toContain(TIMEOUT_INPUTS.overall);
  });
});

describe("the engine's sources", () => {
  const dir = new URL("../../src/engine/", import.meta.url);
  const code = readdirSync(dir)
    .filter((name) => name.endsWith(".ts"))
    .flatMap((name) =>
      readFileSync(new URL(name, dir), "utf8")
        .split("\n")
        .map((line, i) => ({ where: `${name}:${i + 1}`, line }))
        .filter(({ line }) => !/^\s*(\/\/|\/?\*)/.test(line)),
    );

  it("are read", () => {
    expect(code.some(({ line }) => line.includes("naming.input("))).toBe(true);
  });

  it("name no input and no command in a string of their own, only through the front end's naming", () => {
    const own = code.filter(({ line }) => /'[a-z]+(-[a-z]+)+'|`cage [a-z]+/.test(line));
    expect(own.map(({ where, line }) => `${where}: ${line.trim()}`)).toEqual([]);
  });
});
