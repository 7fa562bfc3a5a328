/**
 * Every input of the action and every flag of the CLI, in one table: the kebab-case name both front ends use,
 * canarycage's camelCase flags and CAGE_* variables as the CLI's aliases, the variables each front end falls back
 * to, the default, the parser and the description. action.yml and `cage --help` are checked against it, or
 * generated from it. Which command takes which field is said with the commands, in commands.ts.
 */
import type { Timeouts } from "../engine/settings.js";
import { ACTION, type At, BOTH, bool, choice, duration, type Field, text, timeout } from "./field.js";
import { AUDIT_FIELDS } from "./fields-audit.js";
import { PLAN_FIELDS } from "./fields-plan.js";
import { SOAK_FIELDS } from "./fields-soak.js";

/** Where a rollout stops following its service deployment. */
export const WAIT_UNTIL = ["deployed", "traffic-shifted", "paused"] as const;

import { STEP_FIELDS } from "./fields-steps.js";
import { canaryInstanceOf, regionOf, revisionCountOf, serviceDeploymentArnOf, taskDefinitionOf } from "./validate.js";

/** The commands of the action's `command` input; the CLI's are its subcommands (see commands.ts). */
export const ACTION_COMMANDS = [
  "rollout",
  "up",
  "run",
  "audit",
  "verify",
  "setup",
  "diff",
  "continue",
  "rollback",
  "plan",
] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** The region comes first: the ARN fields are checked against it. */
const region = {
  name: "region",
  offeredBy: BOTH,
  flag: "value",
  env: { action: ["AWS_REGION"], cli: ["CAGE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"] },
  description: "AWS region. Empty means the `AWS_REGION` environment variable, as configure-aws-credentials sets it.",
  help: "AWS region",
  parse: (value: string, at: At) => regionOf(at.label, value),
} as const satisfies Field<string>;

export const FIELDS = {
  command: {
    name: "command",
    offeredBy: ACTION,
    flag: "value",
    default: "rollout",
    description:
      "What to do: `rollout` (canary, then update the service), `up` (create the service), `run` (one task to completion), `audit` (ECR scan findings of a service's images), `verify` (a checklist of what a rollout needs, read calls only), `setup` (put the `cage` CLI on PATH), `diff` (what a rollout would change, against the live service), `continue` (continue the service deployment paused at a PAUSE hook and follow it to its end), `rollback` (roll the service's deployment in flight back and follow the rollback to its end; on a ROLLING service with none in flight, roll its previous revision out through a canary) or `plan` (for pull requests: `diff`, `verify` and the audit of the images it would deploy, in one sticky PR comment).",
    parse: choice(ACTION_COMMANDS),
  },
  region,
  deployContext: {
    name: "deploy-context",
    offeredBy: ACTION,
    flag: "value",
    description:
      "Folder holding `service.json` and `task-definition.json`. For `audit`, several folders, one per line or separated by commas, or patterns such as `services/*/deploy` (every matching folder that holds a `service.json`).",
    parse: text,
  },
  cluster: {
    name: "cluster",
    offeredBy: BOTH,
    flag: "value",
    env: { cli: ["CAGE_CLUSTER"] },
    description:
      "ECS cluster name or ARN. Overrides the one in `service.json`; with neither, the cluster named `default`, as in ECS itself.",
    help: "ECS cluster; overrides service.json's cluster (with neither: the cluster named default, as in ECS)",
    parse: text,
  },
  service: {
    name: "service",
    offeredBy: BOTH,
    flag: "value",
    env: { cli: ["CAGE_SERVICE"] },
    description:
      "ECS service name. Overrides the one in `service.json`. For `audit` without `deploy-context`, one or more services, one per line or separated by commas, each a name in `cluster` or a `cluster/service` pair.",
    help: "ECS service; overrides service.json's serviceName",
    parse: text,
  },
  taskDefinitionArn: {
    name: "task-definition-arn",
    offeredBy: BOTH,
    flag: "value",
    aliases: ["taskDefinitionArn", "nextTaskDefinitionArn"],
    env: { cli: ["CAGE_TASK_DEFINITION_ARN"] },
    description: "Deploy this registered task definition instead of registering `task-definition.json`.",
    help: "deploy this task definition revision instead of registering task-definition.json",
    parse: (value: string, at: At) => taskDefinitionOf(at.label, value, at.value(region) ?? ""),
  },
  canaryInstanceArn: {
    name: "canary-instance-arn",
    offeredBy: BOTH,
    flag: "value",
    aliases: ["canaryInstanceArn"],
    env: { cli: ["CAGE_CANARY_INSTANCE_ARN"] },
    description: "EC2 launch type only: the container instance (ARN or ID) or EC2 instance id to start the canary on.",
    help: "EC2: container instance (ARN or ID) or EC2 instance id to start the canary on",
    parse: (value: string, at: At) => canaryInstanceOf(at.label, value, at.value(region) ?? ""),
  },
  updateService: {
    name: "update-service",
    offeredBy: BOTH,
    flag: "switch",
    aliases: ["updateService"],
    env: { cli: ["CAGE_UPDATE_SERVICE", "CAGE_UPDATE_SERVIEC"] },
    default: "false",
    description:
      "Also apply `service.json`'s settings (network, capacity, load balancers) to the service, not only the task definition.",
    help: "update every updatable field of service.json, not only the task definition",
    parse: bool,
  },
  canaryTaskIdleDuration: {
    name: "canary-task-idle-duration",
    offeredBy: BOTH,
    flag: "value",
    aliases: ["canaryTaskIdleDuration"],
    env: { cli: ["CAGE_CANARY_TASK_IDLE_DURATION"] },
    default: "15s",
    valueName: "duration",
    description:
      "How long a canary without a load balancer must keep running before it counts as healthy, e.g. `15s`, `2m`; `0s` skips the wait.",
    help: "no load balancer: how long the canary must stay up (0 allowed)",
    parse: duration(false),
  },
  taskRunningTimeout: timeout({
    name: "task-running-timeout",
    canarycage: "taskRunningTimeout",
    env: "CAGE_TASK_RUNNING_TIMEOUT",
    default: "15m",
    description: "Longest wait for the canary task to reach RUNNING, e.g. `90s`, `15m`.",
    help: "wait for a task to reach RUNNING",
  }),
  containerHealthTimeout: timeout({
    name: "container-health-timeout",
    canarycage: "taskHealthCheckTimeout",
    env: "CAGE_TASK_HEALTH_CHECK_TIMEOUT",
    default: "15m",
    description: "Longest wait for the canary's container health checks to pass.",
    help: "wait for containers to turn HEALTHY",
  }),
  targetHealthTimeout: timeout({
    name: "target-health-timeout",
    canarycage: "targetHealthTimeout",
    env: "CAGE_TARGET_HEALTH_TIMEOUT",
    default: "15m",
    description: "Longest wait for the canary to turn healthy in its target groups.",
    help: "wait for the canary's targets to turn healthy",
  }),
  taskStoppedTimeout: timeout({
    name: "task-stopped-timeout",
    canarycage: "taskStoppedTimeout",
    env: "CAGE_TASK_STOPPED_TIMEOUT",
    default: "15m",
    description: "Longest wait for a stopped canary (or a `run` task) to reach STOPPED.",
    help: "wait for a task to stop",
  }),
  deploymentTimeout: timeout({
    name: "deployment-timeout",
    canarycage: "serviceStableTimeout",
    env: "CAGE_SERVICE_STABLE_TIMEOUT",
    default: "30m",
    description: "Longest wait for the service deployment to complete after the update.",
    help: "wait for the deployment to complete",
  }),
  timeout: timeout({
    name: "timeout",
    env: "CAGE_TIMEOUT",
    default: "60m",
    description: "One deadline over the whole command.",
    help: "one deadline over the whole command",
  }),
  onDeploymentFailure: {
    name: "on-deployment-failure",
    offeredBy: BOTH,
    flag: "value",
    default: "rollback",
    valueName: "rollback|leave",
    description:
      "When the service deployment fails or times out after the canary passed: `rollback` to the previous task definition, or `leave` it as ECS left it. A rollback ECS made itself is followed, never redone; on BLUE_GREEN, LINEAR and CANARY a deployment still in flight is rolled back by ECS (StopServiceDeployment, or ROLLBACK at a paused hook), never by a second UpdateService.",
    help: "after a failed deployment: roll back to the previous task definition or leave it",
    parse: choice(["rollback", "leave"] as const),
  },
  waitUntil: {
    name: "wait-until",
    offeredBy: BOTH,
    flag: "value",
    default: "deployed",
    valueName: WAIT_UNTIL.join("|"),
    description:
      "How far the service deployment is followed: `deployed` to its end (SUCCESSFUL), `traffic-shifted` until production traffic is all on the new revision and the bake has begun (BLUE_GREEN, LINEAR, CANARY), `paused` until a PAUSE lifecycle hook awaits action, which ends the step with result `paused` and its `hook-id`: answer it with `continue` or `rollback`.",
    help: "follow the deployment until deployed, traffic-shifted (bake begun) or paused (a PAUSE hook waits)",
    parse: choice(WAIT_UNTIL),
  },
  waitIfBusy: {
    name: "wait-if-busy",
    offeredBy: BOTH,
    flag: "switch",
    default: "false",
    description: "Wait for a deployment in progress (or another run's canary) to finish instead of refusing to start.",
    help: "wait for a deployment in progress or another run's canary instead of refusing",
    parse: bool,
  },
  keepRevisions: {
    name: "keep-revisions",
    offeredBy: BOTH,
    flag: "value",
    valueName: "n",
    description:
      "After a successful rollout, deregister the task definition family's revisions beyond the newest N (never the one deployed or the one before it). Empty keeps them all.",
    help: "after a successful rollout, deregister the family's revisions beyond the newest N",
    parse: (value: string, at: At) => revisionCountOf(at.label, value),
  },
  serviceDeploymentArn: {
    name: "service-deployment-arn",
    offeredBy: BOTH,
    flag: "value",
    env: { cli: ["CAGE_SERVICE_DEPLOYMENT_ARN"] },
    description:
      "`continue` and `rollback`: the service deployment to act on (the `service-deployment-arn` output of the rollout). Empty means the service's current one.",
    valueName: "arn",
    help: "continue/rollback: the service deployment to act on (default: the service's current one)",
    parse: (value: string, at: At) => serviceDeploymentArnOf(at.label, value, at.value(region) ?? ""),
  },
  dryRun: {
    name: "dry-run",
    offeredBy: BOTH,
    flag: "switch",
    default: "false",
    description:
      "Change nothing: run the preflight, `verify` and (for rollout and up) `diff`, then print what would be registered, where the canary would run and what the service update would send. The result is `planned`.",
    help: "change nothing: preflight, verify, then print the plan (result planned)",
    parse: bool,
  },
  ...SOAK_FIELDS,
  ...AUDIT_FIELDS,
  ...STEP_FIELDS,
  ...PLAN_FIELDS,
} as const satisfies Record<string, Field>;

/** The kebab-case name of each timeout: the engine's hints name it in the front end's form (see naming.ts). */
export const TIMEOUT_FIELDS = {
  taskRunning: FIELDS.taskRunningTimeout,
  containerHealth: FIELDS.containerHealthTimeout,
  targetHealth: FIELDS.targetHealthTimeout,
  taskStopped: FIELDS.taskStoppedTimeout,
  deployment: FIELDS.deploymentTimeout,
  overall: FIELDS.timeout,
} as const satisfies Record<keyof Timeouts, Field<number>>;
