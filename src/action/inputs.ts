/**
 * The action's inputs, read through the input table (src/inputs/) into one typed settings object, as checkout's
 * input helper does. `INPUT_*` is read through a reader function (core.getInput); a bad value fails with the input's
 * name and the form it accepts, before anything else runs.
 */
import type { AwsSettings } from "../aws/clients.js";
import type { ActionCommand } from "../inputs/fields.js";
import { FIELDS as F } from "../inputs/fields.js";
import type { PrComment } from "../inputs/fields-steps.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { type Source, Values } from "../inputs/read.js";
import { type AuditInputs, auditInputsOf, type DeployInputs, deployInputsOf } from "../inputs/settings.js";
import { actionBooleanOf, endpointsOf, InputError, listOf, servicePairOf } from "../inputs/validate.js";
import { workspaceOption } from "../inputs/workspace.js";
import { isPattern } from "./deploy-context-glob.js";
import { insideWorkspace } from "./input-paths.js";

export type { ActionCommand as Command };

export interface ActionSettings extends DeployInputs {
  command: ActionCommand;
  /** One folder for rollout/up/run; any number for audit. */
  deployContexts: string[];
  /** An audit without deploy contexts: every service the `service` input names. */
  services: { cluster: string; service: string }[];
  audit: AuditInputs & { sarifFile?: string };
  github: {
    token: string;
    prComment: PrComment;
    auditIssue: boolean;
    createDeployment: boolean;
    environment?: string;
  };
  summary: boolean;
  /** `diff`: fail the step when there are changes. */
  exitCode: boolean;
  /** continue and rollback: the service deployment named, else the service's current one. */
  serviceDeploymentArn?: string;
  /** rollout, up and run: plan only, change nothing. */
  dryRun: boolean;
  run?: { container: string; command: string[] };
  endpoints: NonNullable<AwsSettings["endpoints"]>;
  /** Inputs set that this command does not take: each gets a warning, as it has no effect. */
  ignored: string[];
}

export type InputReader = (name: string) => string;
const { command } = ACTION_NAMING;
type Env = Record<string, string | undefined>;

/** The inputs of one step: `command` first, then the fields that command takes (src/inputs/commands.ts). */
export function actionValues(input: InputReader, env: Env): Values {
  const source: Source = {
    frontEnd: "action",
    env,
    given: (field) => input(field.name).trim() || undefined,
  };
  return new Values(source, new Values(source, undefined).get(F.command));
}

export function readSettings(input: InputReader, env: Env): ActionSettings {
  const values = actionValues(input, env);
  const command = values.command as ActionCommand;
  const path = (value: string | undefined, name: string) =>
    value === undefined ? undefined : insideWorkspace(name, value, env);
  // Every value's form first, then what is missing: a wrong value is the more precise message.
  values.checkAll();
  const region = command === "setup" ? "" : values.need(F.region);
  const settings: ActionSettings = {
    command,
    ...deployInputsOf(values, { runId: "local", region, ...workspaceOption(env) }),
    deployContexts: listOf(values.get(F.deployContext) ?? "").map((dir) => insideWorkspace("deploy-context", dir, env)),
    services: servicesOf(listOf(values.get(F.service) ?? ""), values.get(F.cluster)),
    audit: {
      ...auditInputsOf(values),
      ignoreFile: path(values.get(F.ignoreFile), "ignore-file"),
      sarifFile: path(values.get(F.sarifFile), "sarif-file"),
    },
    github: {
      token: values.get(F.githubToken) ?? "",
      prComment: values.get(F.prComment),
      auditIssue: values.get(F.auditIssue),
      createDeployment: values.get(F.createDeployment),
      environment: values.get(F.environment),
    },
    summary: values.get(F.summary),
    exitCode: values.get(F.failOnChanges),
    dryRun: values.get(F.dryRun),
    serviceDeploymentArn: values.get(F.serviceDeploymentArn),
    run: runOf(values.get(F.runContainer), values.get(F.runCommand)),
    endpoints: endpointsOf(env),
    ignored: values.ignored(Object.values(F).filter((f) => f !== F.command)).map((f) => f.name),
  };
  checkCommand(settings);
  return settings;
}

/** Whether to write the summary of a step that failed before its settings were read: unless `summary` says no. */
export function summaryWanted(input: InputReader): boolean {
  try {
    return actionBooleanOf("'summary'", input("summary").trim() || "true");
  } catch {
    return true;
  }
}

function checkCommand(s: ActionSettings): void {
  if (s.command === "setup") return;
  const entries = listOf(s.service ?? "");
  const several = entries.length > 1;
  if (s.command === "audit") {
    checkAudit(s, entries);
    return;
  }
  if (several) {
    throw new InputError(`'service' names one service for ${command(s.command)} (a name like web), got '${s.service}'`);
  }
  if (s.deployContexts.some(isPattern)) {
    throw new InputError(
      `'deploy-context' names one folder for ${command(s.command)}; patterns like services/* are for ${command("audit")}`,
    );
  }
  // continue and rollback name their service by 'service' (and 'cluster') or by one deploy context.
  const optional = s.command === "continue" || s.command === "rollback";
  if (optional && s.deployContexts.length === 0) {
    if (!s.service) {
      throw new InputError(
        `${command(s.command)} needs 'service' (with 'cluster') or 'deploy-context' (a folder with service.json) to name the service`,
      );
    }
    return;
  }
  if (s.deployContexts.length !== 1) {
    const got = s.deployContexts.length === 0 ? "none" : `${s.deployContexts.length} folders`;
    throw new InputError(`'deploy-context' must name exactly one folder for ${command(s.command)}, got ${got}`);
  }
  if (s.command === "run" && !s.run) {
    throw new InputError(
      `${command("run")} needs 'run-container' and 'run-command' (e.g. run-command: '["npm", "run", "migrate"]')`,
    );
  }
}

function checkAudit(s: ActionSettings, entries: string[]): void {
  if (s.deployContexts.length === 0 && s.services.length === 0) {
    throw new InputError(
      `${command("audit")} needs 'deploy-context' (one or more folders) or 'service' (names with 'cluster', or cluster/service pairs, one per line)`,
    );
  }
  const unclear = entries.find((entry) => !servicePairOf(entry) && (!s.cluster || entry.includes("/")));
  if (s.deployContexts.length === 0 && unclear !== undefined) {
    throw new InputError(
      `'service' entry '${unclear}' is neither a name with 'cluster' set nor a cluster/service pair like production/web`,
    );
  }
  if (s.deployContexts.length > 0 && entries.length > 1) {
    throw new InputError(
      "'service' overrides one deploy context's service; to audit several services, name them without 'deploy-context'",
    );
  }
  if ((s.deployContexts.length > 1 || s.deployContexts.some(isPattern)) && (s.cluster || s.service)) {
    throw new InputError(
      "'cluster' and 'service' override a single 'deploy-context'; with several folders, leave them empty",
    );
  }
  if (s.audit.source === "deploy-context" && s.deployContexts.length === 0) {
    throw new InputError("'audit-source: deploy-context' needs 'deploy-context' (the folders to read images from)");
  }
}

/** The `service` input's entries as services: `cluster/service` pairs, or names in `cluster`; others are left out. */
function servicesOf(entries: string[], cluster: string | undefined): ActionSettings["services"] {
  return entries.flatMap((entry) => {
    const pair = servicePairOf(entry);
    if (pair) return [pair];
    return cluster && !entry.includes("/") ? [{ cluster, service: entry }] : [];
  });
}

function runOf(container: string | undefined, command: string | undefined): ActionSettings["run"] {
  if (container === undefined && command === undefined) return undefined;
  if (container === undefined) throw new InputError("'run-container' is required when 'run-command' is set");
  if (command === undefined) throw new InputError("'run-command' is required when 'run-container' is set");
  return { container, command: commandWords(command) };
}

function commandWords(command: string): string[] {
  if (!command.startsWith("[")) return command.split(/\s+/);
  let parsed: unknown;
  try {
    parsed = JSON.parse(command);
  } catch {
    throw new InputError(`'run-command' must be a JSON array of strings like ["npm", "test"], got '${command}'`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((word) => typeof word === "string")) {
    throw new InputError(`'run-command' must be a JSON array of strings like ["npm", "test"], got '${command}'`);
  }
  return parsed;
}
