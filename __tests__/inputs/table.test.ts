/**
 * The input table against what is generated from it or checked against it: action.yml's inputs (and through
 * scripts/readme-tables.mjs the README's table), the inputs the action reads per command, and `cage <command> --help`.
 * `CAGE_WRITE_ACTION_YML=1 npx vitest run __tests__/inputs/table.test.ts` rewrites action.yml's inputs from the table.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { readSettings } from "../../src/action/inputs.js";
import { helpText } from "../../src/cli/help.js";
import { TIMEOUT_INPUTS } from "../../src/engine/settings.js";
import { COMMANDS, type Command, commandsOf, fieldsOf } from "../../src/inputs/commands.js";
import type { Field } from "../../src/inputs/field.js";
import { FIELDS, TIMEOUT_FIELDS } from "../../src/inputs/fields.js";
import { ACTION_NAMING, CLI_NAMING } from "../../src/inputs/naming.js";

const actionYmlPath = join(import.meta.dirname, "../../action.yml");
const ALL: Field[] = Object.values(FIELDS);
const offered = (frontEnd: "action" | "cli") => ALL.filter((f) => f.offeredBy.includes(frontEnd));

/** action.yml's inputs as the table has them, in its order. */
function expectedInputs() {
  return Object.fromEntries(
    offered("action").map((f) => [
      f.name,
      { description: f.description, required: false, default: f.actionYmlDefault ?? f.default ?? "" },
    ]),
  );
}

describe("the input table", () => {
  it("is action.yml's inputs: the same names, in the same order, with the same descriptions and defaults", () => {
    const doc = parseDocument(readFileSync(actionYmlPath, "utf8"));
    const expected = expectedInputs();
    if (process.env.CAGE_WRITE_ACTION_YML) {
      doc.set("inputs", doc.createNode(expected));
      writeFileSync(actionYmlPath, doc.toString({ lineWidth: 0 }));
    }
    const declared = doc.toJS().inputs as Record<string, unknown>;
    expect(Object.keys(declared)).toEqual(Object.keys(expected));
    expect(declared).toEqual(expected);
  });

  it("gives each CLI flag and alias one field", () => {
    const names = offered("cli").flatMap((f) => [f.name, ...(f.aliases ?? [])]);
    expect(names.length).toBeGreaterThan(30);
    expect(new Set(names).size).toBe(names.length);
  });

  it("sets each timeout of the engine by the input its messages name", () => {
    const byField = Object.fromEntries(Object.entries(TIMEOUT_FIELDS).map(([key, field]) => [key, field.name]));
    expect(byField).toEqual(TIMEOUT_INPUTS);
    for (const name of Object.values(TIMEOUT_INPUTS)) expect(offered("action").map((f) => f.name)).toContain(name);
  });

  it("names inputs and commands as each front end's user writes them", () => {
    expect([ACTION_NAMING.input("timeout"), ACTION_NAMING.command("up")]).toEqual(["'timeout'", "`command: up`"]);
    expect(ACTION_NAMING.command("cleanup")).toBe("`cage cleanup` (the CLI; `command: setup` installs it)");
    expect([CLI_NAMING.input("timeout"), CLI_NAMING.command("up")]).toEqual(["--timeout", "`cage up`"]);
  });

  it("declares with each command only fields a front end offering the command offers", () => {
    for (const [command, spec] of Object.entries(COMMANDS)) {
      for (const field of spec.fields) {
        expect(
          spec.offeredBy.some((f) => field.offeredBy.includes(f) || field.env?.[f]),
          `${command}: ${field.name}`,
        ).toBe(true);
      }
    }
  });
});

/** The inputs a command declares, as the action names them (refused ones are read to be refused). */
function declaredBy(command: Command): string[] {
  const spec = COMMANDS[command];
  const names = [
    "command",
    ...fieldsOf(command, "action").map((f) => f.name),
    ...(spec.refuses ?? []).map((f) => f.name),
  ];
  return [...new Set(names)].sort();
}

/** readSettings with valid values for what the command takes and "set" in every other input. */
function ignoredWhenAllSet(command: Command): string[] {
  const declared = declaredBy(command);
  const valid: Record<string, string> = { command, "deploy-context": "deploy", region: "us-east-1" };
  if (command === "run") Object.assign(valid, { "run-container": "app", "run-command": "true" });
  const settings = readSettings((name) => (declared.includes(name) ? (valid[name] ?? "") : "set"), {});
  return [...settings.ignored].sort();
}

describe("the action", () => {
  const actionCommands = commandsOf("action");

  it.each(actionCommands)(
    "takes for command %s the inputs it declares, and warns of every other one set",
    (command) => {
      const others = offered("action")
        .filter((f) => !declaredBy(command).includes(f.name) && !f.actionYmlDefault)
        .map((f) => f.name)
        .sort();
      expect(others.length).toBeGreaterThan(0);
      expect(ignoredWhenAllSet(command)).toEqual(others);
    },
  );

  it("declares every input of action.yml for some command", () => {
    const declared = new Set(actionCommands.flatMap(declaredBy));
    expect([...declared].sort()).toEqual(Object.keys(expectedInputs()).sort());
  });
});

describe("cage <command> --help", () => {
  it.each(commandsOf("cli"))("lists exactly the flags %s declares, with their aliases", (command) => {
    const text = helpText(command as Parameters<typeof helpText>[0]);
    const listed = [...text.matchAll(/^ {2}--([\w-]+)/gm)].map((m) => m[1]);
    expect(listed).toEqual(ALL.filter((f) => fieldsOf(command, "cli").includes(f)).map((f) => f.name));
    for (const field of fieldsOf(command, "cli")) {
      for (const alias of field.aliases ?? []) expect(text).toContain(`--${alias}`);
    }
  });

  it("says which variables a command reads, and not GITHUB_RUN_ID for cleanup", () => {
    expect(helpText("rollout")).toMatch(/--run-id <value> .*\[GITHUB_RUN_ID\]/);
    expect(helpText("cleanup")).not.toContain("GITHUB_RUN_ID");
    expect(helpText("rollout")).toMatch(/--timeout <duration> .*\(default 60m\) \[CAGE_TIMEOUT\]/);
    expect(helpText("audit")).toMatch(/--fail-on <[^>]+>\s+exit non-zero[^\n]*\(default none\)/);
  });
});
