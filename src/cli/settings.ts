/** The CLI's reader over the input table: the command line and the environment into the engine's settings. */
import type { AwsSettings } from "../aws/clients.js";
import { loadDeployContext } from "../context/load.js";
import type { DeployContext } from "../context/types.js";
import type {
  CleanupSettings,
  NativeSettings,
  RolloutSettings,
  RunTaskSettings,
  UpSettings,
} from "../engine/settings.js";
import { FIELDS as F } from "../inputs/fields.js";
import { CLI_NAMING } from "../inputs/naming.js";
import type { Values } from "../inputs/read.js";
import {
  type AuditInputs,
  auditInputsOf,
  cleanupSettingsOf,
  type DeployInputs,
  deployInputsOf,
  nativeSettingsOf,
  rolloutSettingsOf,
  runTaskSettingsOf,
  upSettingsOf,
  verifySettingsOf,
} from "../inputs/settings.js";
import { endpointsOf, InputError } from "../inputs/validate.js";
import { workspaceEscape, workspaceOption } from "../inputs/workspace.js";
import type { VerifySettings } from "../verify/types.js";
import type { ParsedArgs } from "./args.js";

type Env = Record<string, string | undefined>;

export interface Common {
  region: string;
  aws: AwsSettings;
}

/** The command's values, every one parsed: a bad flag or variable fails before anything runs. */
export function checkedValues(args: ParsedArgs): Values {
  return args.values.checkAll();
}

/** A file the CLI writes (`--sarif`, `--summary`): in a workflow, a link in the workspace must not lead it out. */
export function outputFileFrom(args: ParsedArgs, field: typeof F.sarif | typeof F.summaryFile, env: Env) {
  const path = args.values.get(field);
  const { workspace } = workspaceOption(env);
  if (path !== undefined && workspace !== undefined && workspaceEscape(workspace, path) === "link") {
    throw new InputError(
      `--${field.name} is '${path}', which leads outside the workspace (${workspace}) through a symbolic link; nothing was run or written. Name a file that is not a link out of the workspace`,
    );
  }
  return path;
}

/** The region and where AWS is: `--endpoint-url` beats the SDK's per-service variables, AWS_ENDPOINT_URL does not. */
export function commonSettings(args: ParsedArgs, env: Env): Common {
  const values = checkedValues(args);
  const region = values.need(F.region);
  const url = values.get(F.endpointUrl);
  const explicit = values.from(F.endpointUrl) === "--endpoint-url";
  const endpoints = endpointsOf(env, url && explicit ? { url, label: "--endpoint-url", explicit } : undefined);
  return { region, aws: { region, endpoints } };
}

/** A run outside a workflow is named by the time it started: `cli-20250101120000`. */
function timestampRunId(now: number): string {
  return `cli-${new Date(now)
    .toISOString()
    .replace(/[-:.TZ]/g, "")
    .slice(0, 14)}`;
}

/** The deploy context named by the first positional, loaded with the environment as its variables. */
export function contextFrom(args: ParsedArgs, env: Env, inputs: DeployInputs, required: boolean, serviceOnly = false) {
  const dir = args.positionals[0];
  if (!dir) {
    if (required) throw new InputError(`a deploy context folder is required, e.g. cage ${args.command} ./deploy`);
    return undefined;
  }
  return loadDeployContext(dir, {
    env,
    ...workspaceOption(env),
    ...(inputs.taskDefinitionArn ? { taskDefinitionArn: inputs.taskDefinitionArn } : {}),
    ...(serviceOnly ? { serviceOnly: true } : {}),
    ...(inputs.images ? { images: inputs.images } : {}),
  });
}

export function rolloutSettingsFrom(args: ParsedArgs, env: Env, now: number): Common & { settings: RolloutSettings } {
  const common = commonSettings(args, env);
  return { ...common, settings: rolloutSettingsIn(args, env, { region: common.region, runId: timestampRunId(now) }) };
}

/** The rollout flags in a known region (`cage demo` takes the region from its world, and names its own run). */
export function rolloutSettingsIn(args: ParsedArgs, env: Env, known: { region: string; runId: string }) {
  const inputs = deployInputsOf(checkedValues(args), { ...known, ...workspaceOption(env) });
  const context = contextFrom(args, env, inputs, !inputs.taskDefinitionArn);
  return rolloutSettingsOf(inputs, context, CLI_NAMING);
}

export function upSettingsFrom(args: ParsedArgs, env: Env, now: number): Common & { settings: UpSettings } {
  const common = commonSettings(args, env);
  const inputs = deployInputsOf(checkedValues(args), { region: common.region, runId: timestampRunId(now) });
  const context = contextFrom(args, env, inputs, true);
  return { ...common, settings: upSettingsOf(inputs, context, CLI_NAMING) };
}

export function runSettingsFrom(args: ParsedArgs, env: Env, now: number): Common & { settings: RunTaskSettings } {
  const common = commonSettings(args, env);
  const inputs = deployInputsOf(checkedValues(args), { region: common.region, runId: timestampRunId(now) });
  const [, container, ...command] = args.positionals;
  if (!container)
    throw new InputError("usage: cage run <deploy-context> <container> [--] <command...>; the container is missing");
  if (command.length === 0) throw new InputError(`cage run needs the command to run in container '${container}'`);
  const context = contextFrom(args, env, inputs, true) as DeployContext;
  const names = context.taskDefinition?.containerDefinitions?.map((c) => c.name) ?? [];
  if (!names.includes(container)) {
    throw new InputError(
      `container '${container}' is not in ${context.taskDefinitionFile}; its containers are: ${names.join(", ")}`,
    );
  }
  return { ...common, settings: runTaskSettingsOf(inputs, context, { container, command }, CLI_NAMING) };
}

export function cleanupSettingsFrom(args: ParsedArgs, env: Env): Common & { settings: CleanupSettings } {
  const common = commonSettings(args, env);
  const values = checkedValues(args);
  const inputs = deployInputsOf(values, { region: common.region, runId: "" });
  const context = contextFrom(args, env, inputs, false, true);
  return { ...common, settings: cleanupSettingsOf(values, inputs, context) };
}

/** `cage continue | rollback [<deploy-context>]`: service.json, if given, names the service. */
export function nativeSettingsFrom(
  command: "continue" | "rollback",
  args: ParsedArgs,
  env: Env,
  now: number,
): Common & { settings: NativeSettings } {
  const common = commonSettings(args, env);
  const values = checkedValues(args);
  const inputs = deployInputsOf(values, { region: common.region, runId: timestampRunId(now) });
  const context = contextFrom(args, env, inputs, false, true);
  const arn = values.get(F.serviceDeploymentArn);
  return {
    ...common,
    settings: nativeSettingsOf(command, { ...inputs, serviceDeploymentArn: arn }, context, CLI_NAMING),
  };
}

/** An audit's flags (`cage audit`, and the audit of `cage demo`). */
export function auditInputsFrom(args: ParsedArgs): AuditInputs {
  return auditInputsOf(checkedValues(args));
}

/** `cage verify <deploy-context>`: a rollout's settings and the audit gate's, for the checklist. */
export function verifySettingsFrom(args: ParsedArgs, env: Env): Common & { settings: VerifySettings } {
  const common = commonSettings(args, env);
  const values = checkedValues(args);
  const inputs = deployInputsOf(values, { region: common.region, runId: "" });
  const context = contextFrom(args, env, inputs, !inputs.taskDefinitionArn);
  return { ...common, settings: verifySettingsOf(inputs, context, auditInputsOf(values), CLI_NAMING) };
}
