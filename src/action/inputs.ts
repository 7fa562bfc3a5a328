/**
 * Every input of action.yml, read and validated here into one typed settings object. A bad value fails with the
 * input's name and the form it accepts.
 */
import type { AwsSettings } from "../aws/clients.js";
import type { Timeouts } from "../engine/settings.js";
import { canaryInstanceOf, regionOf, taskDefinitionOf } from "../inputs/validate.js";
import { parseDuration } from "../shared/duration.js";
import { isPattern } from "./deploy-context-glob.js";
import { insideWorkspace } from "./input-paths.js";

export const COMMANDS = ["rollout", "up", "run", "audit", "setup"] as const;
export type Command = (typeof COMMANDS)[number];
export const AUDIT_SOURCES = ["running", "task-definition", "deploy-context"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];
export const FAIL_ON = ["critical", "high", "medium", "low", "any", "none"] as const;
export type FailOn = (typeof FAIL_ON)[number];
export const FAIL_ON_UNSCANNED = ["private", "all", "none"] as const;
export type FailOnUnscanned = (typeof FAIL_ON_UNSCANNED)[number];
export const PR_COMMENT = ["auto", "always", "never"] as const;
export type PrComment = (typeof PR_COMMENT)[number];

export interface ActionSettings {
  command: Command;
  region: string;
  /** One folder for rollout/up/run; any number for audit. */
  deployContexts: string[];
  cluster?: string;
  /** The one service of rollout/up/run, or of an audit of one deploy context. */
  service?: string;
  /** An audit without deploy contexts: every service the `service` input names. */
  services: { cluster: string; service: string }[];
  taskDefinitionArn?: string;
  canaryInstanceArn?: string;
  updateService: boolean;
  canaryTaskIdleDuration: number;
  timeouts: Timeouts;
  onDeploymentFailure: "rollback" | "leave";
  waitIfBusy: boolean;
  audit: {
    source: AuditSource;
    failOn: FailOn;
    failOnFixableOnly: boolean;
    failOnUnscanned: FailOnUnscanned;
    ignoreFile?: string;
    sarifFile?: string;
    detail: boolean;
    scanWaitTimeout: number;
  };
  github: {
    token: string;
    prComment: PrComment;
    auditIssue: boolean;
    createDeployment: boolean;
    environment?: string;
  };
  summary: boolean;
  run?: { container: string; command: string[] };
  endpoints: NonNullable<AwsSettings["endpoints"]>;
  /** Names this run in the canary's startedBy and tags. */
  runId: string;
}

/** A value the user gave that cannot work; the message names the input and what it accepts. */
export class InputError extends Error {
  override name = "InputError";
}

export type InputReader = (name: string) => string;
type Env = Record<string, string | undefined>;

export function readSettings(input: InputReader, env: Env): ActionSettings {
  const text = (name: string): string | undefined => {
    const value = input(name).trim();
    return value === "" ? undefined : value;
  };
  const command = oneOf(input, "command", COMMANDS, "rollout");
  const region = text("region") ?? env.AWS_REGION?.trim() ?? "";
  if (region) regionOf(text("region") ? "'region'" : "AWS_REGION (for 'region')", region);
  const deployContexts = listOf(input("deploy-context")).map((dir) => insideWorkspace("deploy-context", dir, env));
  const path = (name: string) => {
    const value = text(name);
    return value === undefined ? undefined : insideWorkspace(name, value, env);
  };
  const arn = (name: string, check: (label: string, value: string, region: string) => string) => {
    const value = text(name);
    return value === undefined ? undefined : check(`'${name}'`, value, region);
  };

  const settings: ActionSettings = {
    command,
    region,
    deployContexts,
    cluster: text("cluster"),
    service: text("service"),
    services: servicesOf(listOf(input("service")), text("cluster")),
    taskDefinitionArn: arn("task-definition-arn", taskDefinitionOf),
    canaryInstanceArn: arn("canary-instance-arn", canaryInstanceOf),
    updateService: bool(input, "update-service", false),
    canaryTaskIdleDuration: duration(input, "canary-task-idle-duration", "15s", { allowZero: true }),
    timeouts: {
      taskRunning: duration(input, "task-running-timeout", "15m"),
      containerHealth: duration(input, "container-health-timeout", "15m"),
      targetHealth: duration(input, "target-health-timeout", "15m"),
      taskStopped: duration(input, "task-stopped-timeout", "15m"),
      deployment: duration(input, "deployment-timeout", "30m"),
      overall: duration(input, "timeout", "60m"),
    },
    onDeploymentFailure: oneOf(input, "on-deployment-failure", ["rollback", "leave"] as const, "rollback"),
    waitIfBusy: bool(input, "wait-if-busy", false),
    audit: {
      source: oneOf(input, "audit-source", AUDIT_SOURCES, "running"),
      failOn: oneOf(input, "fail-on", FAIL_ON, "critical"),
      failOnFixableOnly: bool(input, "fail-on-fixable-only", false),
      failOnUnscanned: oneOf(input, "fail-on-unscanned", FAIL_ON_UNSCANNED, "private"),
      ignoreFile: path("ignore-file"),
      sarifFile: path("sarif-file"),
      detail: bool(input, "detail", false),
      scanWaitTimeout: duration(input, "scan-wait-timeout", "5m", { allowZero: true }),
    },
    github: {
      token: input("github-token").trim(),
      prComment: oneOf(input, "pr-comment", PR_COMMENT, "auto"),
      auditIssue: bool(input, "audit-issue", false),
      createDeployment: bool(input, "create-deployment", false),
      environment: text("environment"),
    },
    summary: bool(input, "summary", true),
    run: runOf(text("run-container"), text("run-command")),
    endpoints: endpointsOf(env),
    runId: runIdOf(env),
  };
  checkCommand(settings);
  return settings;
}

function checkCommand(s: ActionSettings): void {
  if (s.command === "setup") return;
  if (!s.region) {
    throw new InputError(
      "'region' is required: set the input or the AWS_REGION environment variable (aws-actions/configure-aws-credentials sets it)",
    );
  }
  const entries = listOf(s.service ?? "");
  const several = entries.length > 1;
  if (s.command === "audit") {
    if (s.deployContexts.length === 0 && s.services.length === 0) {
      throw new InputError(
        "'audit' needs 'deploy-context' (one or more folders) or 'service' (names with 'cluster', or cluster/service pairs, one per line)",
      );
    }
    const unclear = entries.find((entry) => !PAIR.test(entry) && (!s.cluster || entry.includes("/")));
    if (s.deployContexts.length === 0 && unclear !== undefined) {
      throw new InputError(
        `'service' entry '${unclear}' is neither a name with 'cluster' set nor a cluster/service pair like production/web`,
      );
    }
    if (s.deployContexts.length > 0 && several) {
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
    return;
  }
  if (several) {
    throw new InputError(`'service' names one service for '${s.command}' (a name like web), got '${s.service}'`);
  }
  if (s.deployContexts.some(isPattern)) {
    throw new InputError(
      `'deploy-context' names one folder for '${s.command}'; patterns like services/* are for 'audit'`,
    );
  }
  if (s.deployContexts.length !== 1) {
    const got = s.deployContexts.length === 0 ? "none" : `${s.deployContexts.length} folders`;
    throw new InputError(`'deploy-context' must name exactly one folder for '${s.command}', got ${got}`);
  }
  if (s.command === "run" && !s.run) {
    throw new InputError(
      "'run' needs 'run-container' and 'run-command' (e.g. run-command: '[\"npm\", \"run\", \"migrate\"]')",
    );
  }
  if (s.command !== "run" && s.run) {
    throw new InputError(`'run-container' and 'run-command' apply to 'command: run' only, not '${s.command}'`);
  }
}

function oneOf<T extends string>(input: InputReader, name: string, allowed: readonly T[], fallback: T): T {
  const value = input(name).trim();
  if (value === "") return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`'${name}' must be one of ${allowed.join(", ")}, got '${value}'`);
}

const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE"];

/** YAML 1.2 core-schema booleans only, as @actions/core's getBooleanInput accepts. */
function bool(input: InputReader, name: string, fallback: boolean): boolean {
  const value = input(name).trim();
  if (value === "") return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(`'${name}' must be true or false, got '${value}'`);
}

function duration(input: InputReader, name: string, fallback: string, opts: { allowZero?: boolean } = {}): number {
  const value = input(name).trim() || fallback;
  const ms = parseDuration(value);
  if (ms === undefined) throw new InputError(`'${name}' must be a duration like 15s or 10m, got '${value}'`);
  if (ms === 0 && !opts.allowZero) throw new InputError(`'${name}' must be longer than 0, got '${value}'`);
  return ms;
}

/** Newlines or commas separate the entries; blank entries are dropped. */
const PAIR = /^([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/;

/** The `service` input's entries as services: `cluster/service` pairs, or names in `cluster`; others are left out. */
function servicesOf(entries: string[], cluster: string | undefined): ActionSettings["services"] {
  return entries.flatMap((entry) => {
    const pair = PAIR.exec(entry);
    if (pair) return [{ cluster: pair[1] as string, service: pair[2] as string }];
    return cluster && !entry.includes("/") ? [{ cluster, service: entry }] : [];
  });
}

function listOf(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
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

const ENDPOINT_VARIABLES = {
  ecs: "AWS_ENDPOINT_URL_ECS",
  ecr: "AWS_ENDPOINT_URL_ECR",
  elbv2: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
  ec2: "AWS_ENDPOINT_URL_EC2",
} as const;

/** The SDK's own endpoint variables, read here so a test can point the action at the simulator. */
export function endpointsOf(env: Env): ActionSettings["endpoints"] {
  const endpoints: ActionSettings["endpoints"] = {};
  const general = env.AWS_ENDPOINT_URL?.trim();
  for (const [service, variable] of Object.entries(ENDPOINT_VARIABLES)) {
    const own = env[variable]?.trim();
    const url = own || general;
    if (!url) continue;
    if (!/^https?:\/\/[^\s]+$/.test(url)) {
      const from = own ? variable : "AWS_ENDPOINT_URL";
      throw new InputError(`${from} must be a URL like http://127.0.0.1:4566, got '${url}'`);
    }
    endpoints[service as keyof typeof ENDPOINT_VARIABLES] = url;
  }
  return endpoints;
}

function runIdOf(env: Env): string {
  const id = env.GITHUB_RUN_ID?.trim();
  if (!id) return "local";
  const attempt = env.GITHUB_RUN_ATTEMPT?.trim();
  return attempt ? `${id}-${attempt}` : id;
}
