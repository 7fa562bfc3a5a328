/** Turns the parsed command line into the engine's typed settings; every value is checked here, once. */
import type { AwsSettings } from "../aws/clients.js";
import { loadDeployContext } from "../context/load.js";
import { resolveTarget } from "../context/target.js";
import type { DeployContext } from "../context/types.js";
import {
  type CleanupSettings,
  DEFAULT_TIMEOUTS,
  type RolloutSettings,
  type RunTaskSettings,
  type Timeouts,
  type UpSettings,
} from "../engine/settings.js";
import { canaryInstanceOf, durationOf, InputError, oneOf, regionOf, taskDefinitionOf } from "../inputs/validate.js";
import { workspaceEscape, workspaceOption } from "../inputs/workspace.js";
import type { ParsedArgs } from "./args.js";

type Env = Record<string, string | undefined>;

export interface Common {
  region: string;
  aws: AwsSettings;
}

function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function label(args: ParsedArgs, name: string): string {
  const source = args.sources[name];
  return source && !source.startsWith("--") ? `${source} (for --${name})` : `--${name}`;
}

/** A file the CLI writes (`--sarif`, `--summary`): in a workflow, a link in the workspace must not lead it out. */
export function outputFileFrom(args: ParsedArgs, name: string, env: Env): string | undefined {
  const path = str(args, name);
  const { workspace } = workspaceOption(env);
  if (path !== undefined && workspace !== undefined && workspaceEscape(workspace, path) === "link") {
    throw new InputError(
      `--${name} is '${path}', which leads outside the workspace (${workspace}) through a symbolic link; nothing was run or written. Name a file that is not a link out of the workspace`,
    );
  }
  return path;
}

export function durationFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = str(args, name);
  return v === undefined ? fallback : durationOf(label(args, name), v);
}

export function commonSettings(args: ParsedArgs, env: Env): Common {
  const raw = str(args, "region");
  if (!raw) throw new InputError("--region is required (or set CAGE_REGION or AWS_REGION)");
  const region = regionOf(label(args, "region"), raw);
  const all = str(args, "endpoint-url");
  const endpoints: NonNullable<AwsSettings["endpoints"]> = {};
  const perService = {
    ecs: "AWS_ENDPOINT_URL_ECS",
    ecr: "AWS_ENDPOINT_URL_ECR",
    elbv2: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
    ec2: "AWS_ENDPOINT_URL_EC2",
  } as const;
  for (const [service, variable] of Object.entries(perService) as [keyof typeof perService, string][]) {
    const fromFlag = args.sources["endpoint-url"] === "--endpoint-url" || env[variable] === undefined;
    const url = (fromFlag ? all : env[variable]) || undefined;
    if (url) {
      const named = fromFlag ? label(args, "endpoint-url") : variable;
      if (!/^https?:\/\/[^\s/]+/.test(url))
        throw new InputError(`${named} must be a URL like http://127.0.0.1:4566, got '${url}'`);
      endpoints[service] = url;
    }
  }
  return { region, aws: { region, endpoints } };
}

export function timeoutsFrom(args: ParsedArgs): Timeouts {
  return {
    taskRunning: durationFlag(args, "task-running-timeout", DEFAULT_TIMEOUTS.taskRunning),
    containerHealth: durationFlag(args, "container-health-timeout", DEFAULT_TIMEOUTS.containerHealth),
    targetHealth: durationFlag(args, "target-health-timeout", DEFAULT_TIMEOUTS.targetHealth),
    taskStopped: durationFlag(args, "task-stopped-timeout", DEFAULT_TIMEOUTS.taskStopped),
    deployment: durationFlag(args, "deployment-timeout", DEFAULT_TIMEOUTS.deployment),
    overall: durationFlag(args, "timeout", DEFAULT_TIMEOUTS.overall),
  };
}

/** The deploy context named by the first positional, loaded with the environment as its variables. */
export function contextFrom(
  args: ParsedArgs,
  env: Env,
  options: { required: boolean; taskDefinitionArn?: string; serviceOnly?: boolean },
) {
  const dir = args.positionals[0];
  if (!dir) {
    if (options.required) throw new InputError("a deploy context folder is required, e.g. cage rollout ./deploy");
    return undefined;
  }
  return loadDeployContext(dir, {
    env,
    ...workspaceOption(env),
    ...(options.taskDefinitionArn ? { taskDefinitionArn: options.taskDefinitionArn } : {}),
    ...(options.serviceOnly ? { serviceOnly: true } : {}),
  });
}

export function targetFrom(args: ParsedArgs, context: DeployContext | undefined) {
  const t = resolveTarget({ cluster: str(args, "cluster"), service: str(args, "service") }, context);
  if (!t.cluster) throw new InputError("the cluster is unknown: give --cluster, or set cluster in service.json");
  if (!t.service) throw new InputError("the service is unknown: give --service, or set serviceName in service.json");
  return { cluster: t.cluster, service: t.service };
}

/** The revision to deploy: `--task-definition-arn`, or the deploy context's task-definition.json. */
function revisionFrom(args: ParsedArgs, env: Env, region: string, contextRequired: boolean) {
  const rawArn = str(args, "task-definition-arn");
  const taskDefinitionArn = rawArn ? taskDefinitionOf(label(args, "task-definition-arn"), rawArn, region) : undefined;
  const context = contextFrom(args, env, {
    required: contextRequired || !taskDefinitionArn,
    ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
  });
  return { taskDefinitionArn, context };
}

export function rolloutSettingsFrom(args: ParsedArgs, env: Env, now: number): Common & { settings: RolloutSettings } {
  const common = commonSettings(args, env);
  return { ...common, settings: rolloutSettingsIn(common.region, args, env, now) };
}

/** The rollout flags in a known region (`cage demo` takes the region from its world). */
export function rolloutSettingsIn(region: string, args: ParsedArgs, env: Env, now: number): RolloutSettings {
  const { taskDefinitionArn, context } = revisionFrom(args, env, region, false);
  const target = targetFrom(args, context);
  const rawInstance = str(args, "canary-instance-arn");
  const onFailure = str(args, "on-deployment-failure");
  const settings: RolloutSettings = {
    region,
    ...target,
    ...(context ? { context } : {}),
    ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
    ...(rawInstance
      ? { canaryInstanceArn: canaryInstanceOf(label(args, "canary-instance-arn"), rawInstance, region) }
      : {}),
    updateService: args.values["update-service"] === true,
    canaryTaskIdleDuration: durationFlag(args, "canary-task-idle-duration", 15_000),
    timeouts: timeoutsFrom(args),
    onDeploymentFailure: onFailure
      ? oneOf("--on-deployment-failure", onFailure, ["rollback", "leave"] as const)
      : "rollback",
    waitIfBusy: args.values["wait-if-busy"] === true,
    runId: runIdFrom(args, now),
  };
  if (settings.updateService && !context) {
    throw new InputError("--update-service needs a deploy context with service.json to take the service's fields from");
  }
  return settings;
}

function runIdFrom(args: ParsedArgs, now: number): string {
  return (
    str(args, "run-id") ??
    `cli-${new Date(now)
      .toISOString()
      .replace(/[-:.TZ]/g, "")
      .slice(0, 14)}`
  );
}

export function upSettingsFrom(args: ParsedArgs, env: Env, now: number): Common & { settings: UpSettings } {
  const common = commonSettings(args, env);
  const { taskDefinitionArn, context } = revisionFrom(args, env, common.region, true);
  const settings: UpSettings = {
    region: common.region,
    ...targetFrom(args, context),
    ...(context ? { context } : {}),
    ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
    timeouts: timeoutsFrom(args),
    runId: runIdFrom(args, now),
  };
  return { ...common, settings };
}

export function runSettingsFrom(args: ParsedArgs, env: Env, now: number): Common & { settings: RunTaskSettings } {
  const common = commonSettings(args, env);
  const [, container, ...command] = args.positionals;
  if (!container)
    throw new InputError("usage: cage run <deploy-context> <container> [--] <command...>; the container is missing");
  if (command.length === 0) throw new InputError(`cage run needs the command to run in container '${container}'`);
  const context = contextFrom(args, env, { required: true });
  const names = context?.taskDefinition?.containerDefinitions?.map((c) => c.name) ?? [];
  if (!names.includes(container)) {
    throw new InputError(
      `container '${container}' is not in ${context?.taskDefinitionFile}; its containers are: ${names.join(", ")}`,
    );
  }
  const settings: RunTaskSettings = {
    region: common.region,
    ...targetFrom(args, context),
    ...(context ? { context } : {}),
    container,
    command,
    timeouts: timeoutsFrom(args),
    runId: runIdFrom(args, now),
  };
  return { ...common, settings };
}

export function cleanupSettingsFrom(args: ParsedArgs, env: Env): Common & { settings: CleanupSettings } {
  const common = commonSettings(args, env);
  const context = contextFrom(args, env, { required: false, serviceOnly: true });
  const runId = str(args, "run-id");
  const settings: CleanupSettings = {
    region: common.region,
    ...targetFrom(args, context),
    ...(runId ? { runId } : {}),
    drain: true,
    timeouts: timeoutsFrom(args),
  };
  return { ...common, settings };
}
