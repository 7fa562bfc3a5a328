/** `cage --help` and `cage <command> --help`, generated from the input table so they cannot drift. */
import { COMMANDS } from "../inputs/commands.js";
import type { Field } from "../inputs/field.js";
import { FIELDS } from "../inputs/fields.js";
import type { CliCommand } from "./args.js";

const USAGE: Record<CliCommand | "sim", { args: string; about: string }> = {
  up: { args: "<deploy-context>", about: "create the service in service.json and wait for its first deployment" },
  rollout: {
    args: "<deploy-context>",
    about: "test one canary task of the new task definition, then update the service and wait for that deployment",
  },
  run: {
    args: "<deploy-context> <container> [--] <command...>",
    about: "run a one-off task (e.g. a migration) and exit with its container's exit code",
  },
  audit: {
    args: "[<deploy-context>...]",
    about: "ECR image-scan findings of the images a service runs, with a pass/fail gate",
  },
  verify: {
    args: "<deploy-context>",
    about: "a checklist of what a rollout needs ([OK]/[NG]/[SKIP]), read calls only; exits 1 on any [NG]",
  },
  cleanup: { args: "[<deploy-context>]", about: "find and remove canary tasks a killed rollout left behind" },
  diff: {
    args: "<deploy-context>",
    about: "show what a rollout would change: task-definition.json (and service.json) against the live service",
  },
  continue: {
    args: "[<deploy-context>]",
    about: "continue the service deployment paused at a PAUSE hook, then follow it to its end",
  },
  rollback: {
    args: "[<deploy-context>]",
    about:
      "roll back the service's deployment in flight (paused or in progress) and follow it to its end; with none in flight on ROLLING, roll the previous revision out through a canary",
  },
  demo: { args: "", about: "a full rollout and audit of deploy-example/ against the built-in AWS simulator" },
  sim: {
    args: "serve --world FILE [--host H] [--port N] [--time-scale K] [--seed S]",
    about: "run the AWS simulator (ECS, ELBv2, EC2, ECR) on loopback",
  },
};

/** Where flag descriptions start. */
const COLUMN = 44;

/** The command's flags, or every flag, in the table's order. */
function flagLines(command?: CliCommand): string[] {
  const fields = Object.values(FIELDS).filter(
    (f: Field) => f.offeredBy.includes("cli") && (!command || COMMANDS[command].fields.includes(f)),
  );
  return fields.map((f: Field) => {
    const left = `  --${f.name}${f.flag === "value" ? ` <${f.valueName ?? "value"}>` : ""}`;
    const fallback = f.cliDefault ?? f.default;
    const readsEnv = !command || !COMMANDS[command].givenOnly?.includes(f);
    const aliases = [...(f.aliases ?? []).map((a) => `--${a}`), ...(readsEnv ? (f.env?.cli ?? []) : [])];
    const about = [
      f.help ?? f.description,
      f.flag === "value" && fallback !== undefined ? ` (default ${fallback})` : "",
      aliases.length ? ` [${aliases.join(", ")}]` : "",
    ].join("");
    // A flag too long for its column gets its description on the next line, never glued to it.
    return left.length <= COLUMN - 2 ? `${left.padEnd(COLUMN)}${about}` : `${left}\n${" ".repeat(COLUMN)}${about}`;
  });
}

export function helpText(command?: CliCommand): string {
  if (command) {
    const u = USAGE[command];
    return [`usage: cage ${command} [flags] ${u.args}`, "", u.about, "", "flags:", ...flagLines(command)].join("\n");
  }
  return [
    "usage: cage <command> [flags] [deploy-context]",
    "",
    "Canary rollouts and image audits for Amazon ECS. A deploy context is a folder with service.json",
    "(CreateService input) and task-definition.json (RegisterTaskDefinition input); ${NAME} in them is",
    "replaced by the environment variable NAME.",
    "",
    "commands:",
    ...Object.entries(USAGE).map(([name, u]) => `  ${name.padEnd(10)}${u.about}`),
    `  ${"version".padEnd(10)}print cage's version (also --version)`,
    "",
    "flags (see cage <command> --help for those of one command):",
    ...flagLines(),
    "",
    "Try it: cage demo",
  ].join("\n");
}
