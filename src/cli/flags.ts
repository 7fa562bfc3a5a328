/**
 * Every flag of the `cage` CLI in one table: kebab-case names shared with the action's inputs, canarycage's
 * camelCase flags and CAGE_* variables as aliases, so its users can switch without rewriting scripts.
 */

export type Command = "up" | "rollout" | "run" | "audit" | "cleanup" | "demo" | "sim";
export const COMMANDS: Command[] = ["up", "rollout", "run", "audit", "cleanup", "demo", "sim"];

export interface FlagSpec {
  name: string;
  type: "string" | "boolean";
  description: string;
  commands: Command[] | "all";
  aliases?: string[];
  /** Environment variables read when the flag is not given, first set wins. */
  env?: string[];
  /** The commands that read `env`, when not all of the flag's commands do. */
  envFor?: Command[];
  repeatable?: boolean;
  valueName?: string;
}

const DEPLOY: Command[] = ["up", "rollout", "run", "cleanup"];
/** `cage demo` runs a rollout, so it takes every rollout flag; its world sets the region, endpoint and service. */
const ROLLOUT: Command[] = ["rollout", "demo"];
const AWS: Command[] = [...DEPLOY, "audit"];

export const FLAGS: FlagSpec[] = [
  {
    name: "region",
    type: "string",
    commands: AWS,
    env: ["CAGE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"],
    description: "AWS region (falls back to CAGE_REGION, then AWS_REGION)",
  },
  {
    name: "cluster",
    type: "string",
    commands: AWS,
    env: ["CAGE_CLUSTER"],
    description: "ECS cluster; overrides service.json's cluster",
  },
  {
    name: "service",
    type: "string",
    commands: AWS,
    env: ["CAGE_SERVICE"],
    description: "ECS service; overrides service.json's serviceName",
  },
  {
    name: "task-definition-arn",
    type: "string",
    commands: ["up", "rollout"],
    aliases: ["taskDefinitionArn", "nextTaskDefinitionArn"],
    env: ["CAGE_TASK_DEFINITION_ARN"],
    description: "deploy this task definition revision instead of registering task-definition.json",
  },
  {
    name: "canary-instance-arn",
    type: "string",
    commands: ROLLOUT,
    aliases: ["canaryInstanceArn"],
    env: ["CAGE_CANARY_INSTANCE_ARN"],
    description: "EC2: container instance (ARN or ID) or EC2 instance id to start the canary on",
  },
  {
    name: "update-service",
    type: "boolean",
    commands: ROLLOUT,
    aliases: ["updateService"],
    env: ["CAGE_UPDATE_SERVICE", "CAGE_UPDATE_SERVIEC"],
    description: "update every updatable field of service.json, not only the task definition",
  },
  {
    name: "canary-task-idle-duration",
    type: "string",
    commands: ROLLOUT,
    aliases: ["canaryTaskIdleDuration"],
    env: ["CAGE_CANARY_TASK_IDLE_DURATION"],
    valueName: "duration",
    description: "no load balancer: how long the canary must stay up (default 15s; 0 allowed)",
  },
  {
    name: "task-running-timeout",
    type: "string",
    commands: [...ROLLOUT, "run"],
    aliases: ["taskRunningTimeout"],
    env: ["CAGE_TASK_RUNNING_TIMEOUT"],
    valueName: "duration",
    description: "wait for a task to reach RUNNING (default 15m)",
  },
  {
    name: "container-health-timeout",
    type: "string",
    commands: ROLLOUT,
    aliases: ["taskHealthCheckTimeout"],
    env: ["CAGE_TASK_HEALTH_CHECK_TIMEOUT"],
    valueName: "duration",
    description: "wait for containers to turn HEALTHY (default 15m)",
  },
  {
    name: "target-health-timeout",
    type: "string",
    commands: ROLLOUT,
    aliases: ["targetHealthTimeout"],
    env: ["CAGE_TARGET_HEALTH_TIMEOUT"],
    valueName: "duration",
    description: "wait for the canary's targets to turn healthy (default 15m)",
  },
  {
    name: "task-stopped-timeout",
    type: "string",
    commands: [...ROLLOUT, "run", "cleanup"],
    aliases: ["taskStoppedTimeout"],
    env: ["CAGE_TASK_STOPPED_TIMEOUT"],
    valueName: "duration",
    description: "wait for a task to stop (default 15m)",
  },
  {
    name: "deployment-timeout",
    type: "string",
    commands: ["up", ...ROLLOUT],
    aliases: ["serviceStableTimeout"],
    env: ["CAGE_SERVICE_STABLE_TIMEOUT"],
    valueName: "duration",
    description: "wait for the deployment to complete (default 30m)",
  },
  {
    name: "timeout",
    type: "string",
    commands: "all",
    env: ["CAGE_TIMEOUT"],
    valueName: "duration",
    description: "one deadline over the whole command (default 60m)",
  },
  {
    name: "on-deployment-failure",
    type: "string",
    commands: ROLLOUT,
    valueName: "rollback|leave",
    description: "after a failed deployment: roll back to the previous task definition (default) or leave it",
  },
  {
    name: "wait-if-busy",
    type: "boolean",
    commands: ROLLOUT,
    description: "wait for a deployment in progress or another run's canary instead of refusing",
  },
  {
    name: "audit-source",
    type: "string",
    commands: ["audit"],
    valueName: "running|task-definition|deploy-context",
    description: "which images to audit (default running)",
  },
  {
    name: "fail-on",
    type: "string",
    commands: ["audit", "demo"],
    valueName: "critical|high|medium|low|any|none",
    description: "exit non-zero when a finding is at or above this severity (default none for the CLI)",
  },
  {
    name: "fail-on-fixable-only",
    type: "boolean",
    commands: ["audit", "demo"],
    description: "count only findings that have a fix for --fail-on",
  },
  {
    name: "fail-on-unscanned",
    type: "string",
    commands: ["audit"],
    valueName: "private|all|none",
    description:
      "exit non-zero when an image has no usable scan: private ECR images (default), all (public ones too) or none",
  },
  {
    name: "ignore-file",
    type: "string",
    commands: ["audit", "demo"],
    valueName: "file",
    description: "findings to ignore (default .cage-audit-ignore.yml when present)",
  },
  {
    name: "scan-wait-timeout",
    type: "string",
    commands: ["audit", "demo"],
    valueName: "duration",
    description: "wait for scans in progress (default 5m)",
  },
  { name: "detail", type: "boolean", commands: ["audit"], description: "list findings grouped by severity" },
  {
    name: "sarif",
    type: "string",
    commands: ["audit"],
    valueName: "file",
    description: "write SARIF 2.1.0 for GitHub code scanning",
  },
  {
    name: "json",
    type: "boolean",
    commands: AWS,
    description: "print JSON (audit report, or the rollout timeline) instead of text",
  },
  {
    name: "summary",
    type: "string",
    commands: [...AWS, "demo"],
    valueName: "file",
    description: "write the job summary (markdown) to this file",
  },
  {
    name: "endpoint-url",
    type: "string",
    commands: AWS,
    env: ["AWS_ENDPOINT_URL"],
    valueName: "url",
    description: "send every AWS call to this endpoint (e.g. `cage sim serve`)",
  },
  {
    name: "run-id",
    type: "string",
    commands: [...ROLLOUT, "cleanup"],
    env: ["GITHUB_RUN_ID"],
    envFor: ROLLOUT,
    description:
      "names this run in the canary's tags (default: a timestamp); cleanup: only the canary and tasks of that run",
  },
  {
    name: "variant",
    type: "string",
    commands: ["demo"],
    valueName: "name",
    description: "demo: a failing world variant to try (see deploy-example/)",
  },
  {
    name: "ci",
    type: "boolean",
    commands: "all",
    env: ["CI"],
    description: "accepted for canarycage compatibility (no prompts are ever shown)",
  },
  {
    name: "no-color",
    type: "boolean",
    commands: "all",
    env: ["NO_COLOR"],
    description: "accepted for canarycage compatibility",
  },
  { name: "help", type: "boolean", commands: "all", description: "show help" },
];
