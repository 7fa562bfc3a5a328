import type { AwsPorts } from "../aws/ports.js";
import type { DeployContext } from "../context/types.js";
import type { Clock } from "../shared/clock.js";
import type { CageEvent, EventSink, Result } from "./events.js";
import type { MetricCheck } from "./metric-verdict.js";

/** Everything a command needs from the outside world, injected. */
export interface EngineDeps {
  aws: AwsPorts;
  clock: Clock;
  events: EventSink;
  /** Aborted on cancellation (SIGINT/SIGTERM, a canceled job); cleanup still runs. */
  signal?: AbortSignal;
  /** How the front end in use names its inputs and commands in the engine's hints. */
  naming: Naming;
}

/**
 * How a front end names an input or a command in a message. Names are the kebab-case input names the action and
 * the CLI share; a command is rendered as a code span (`…`), which the job summary shows as code.
 */
export interface Naming {
  /** `wait-if-busy` → `'wait-if-busy'` (action) or `--wait-if-busy` (CLI). */
  input(name: string): string;
  /** `up` → `` `command: up` `` (action) or `` `cage up` `` (CLI). */
  command(name: string): string;
}

/** Milliseconds for each wait; canarycage's defaults are 15 minutes each. */
export interface Timeouts {
  taskRunning: number;
  containerHealth: number;
  targetHealth: number;
  taskStopped: number;
  deployment: number;
  /** One deadline over the whole command. */
  overall: number;
}

/** The input (and CLI flag) that sets each timeout. */
export const TIMEOUT_INPUTS = {
  taskRunning: "task-running-timeout",
  containerHealth: "container-health-timeout",
  targetHealth: "target-health-timeout",
  taskStopped: "task-stopped-timeout",
  deployment: "deployment-timeout",
  overall: "timeout",
} as const satisfies Record<keyof Timeouts, string>;

/** Every input the engine's messages name; each front end must have them all (a test checks both). */
export const NAMED_INPUTS = [
  ...Object.values(TIMEOUT_INPUTS),
  "region",
  "cluster",
  "service",
  "task-definition-arn",
  "canary-instance-arn",
  "update-service",
  "wait-if-busy",
  "on-deployment-failure",
  "keep-revisions",
  "canary-soak",
  "canary-alarms",
  "canary-alarms-insufficient",
  "canary-metrics",
  "service-deployment-arn",
  "wait-until",
] as const;
export type InputName = (typeof NAMED_INPUTS)[number];

/** Every command the engine's messages name. */
export const NAMED_COMMANDS = ["up", "rollout", "cleanup", "continue", "rollback"] as const;
export type CommandName = (typeof NAMED_COMMANDS)[number];

export const DEFAULT_TIMEOUTS: Timeouts = {
  taskRunning: 15 * 60_000,
  containerHealth: 15 * 60_000,
  targetHealth: 15 * 60_000,
  taskStopped: 15 * 60_000,
  deployment: 30 * 60_000,
  overall: 60 * 60_000,
};

export interface Target {
  region: string;
  cluster: string;
  service: string;
}

export interface RolloutSettings extends Target {
  context?: DeployContext;
  taskDefinitionArn?: string;
  canaryInstanceArn?: string;
  updateService: boolean;
  /** Milliseconds the canary must stay RUNNING when the service has no load balancer; 0 is allowed. */
  canaryTaskIdleDuration: number;
  /** Absent: no soak. */
  soak?: SoakSettings;
  timeouts: Timeouts;
  onDeploymentFailure: "rollback" | "leave";
  /** Wait for a deployment in progress (or another run's canary) to finish instead of refusing. */
  waitIfBusy: boolean;
  /** Names this run in the canary's startedBy and tags (e.g. the GitHub run id). */
  runId: string;
  /** After a successful rollout, deregister the family's ACTIVE revisions beyond the newest N. */
  keepRevisions?: number;
  /** Where following the deployment ends: `deployed` (its end) unless told. */
  waitUntil?: "deployed" | "traffic-shifted" | "paused";
  /** Set by `rollback`: the `family:revision` gone back to, which the verdict names. */
  rollbackTo?: string;
}

/** The canary soak: once healthy, the canary takes traffic this long while CloudWatch alarms are watched. */
export interface SoakSettings {
  /** 0: no soak, today's behaviour. */
  durationMs: number;
  /** Alarm names, or prefixes ending in `*`, besides the service's deployment alarms. */
  alarms: string[];
  insufficientData: "ignore" | "fail";
  /** Metric checks from canary-metrics; absent: none. */
  metrics?: MetricCheck[];
}

export interface CommandResult {
  result: Result;
  message: string;
  /** From what was read back: "unknown" when a change was sent and what it did could not be read. */
  serviceChanged: boolean | "unknown";
  taskDefinitionArn?: string;
  canaryTaskArn?: string;
  deploymentId?: string;
  /** The service deployment followed or acted on (`continue`, `rollback`), where it got to, and its waiting PAUSE hook. */
  serviceDeploymentArn?: string;
  lifecycleStage?: string;
  hookId?: string;
  hookExpiresAt?: Date;
  serviceArn?: string;
  exitCode?: number;
  /** The one-off task of `run`. */
  taskArn?: string;
  /** What explains a failure: service events, failed tasks' stop reasons (also in `message`). */
  evidence?: string[];
  /** Revisions `keep-revisions` deregistered after the rollout, oldest first. */
  deregisteredRevisions?: string[];
  /** Calls canceled in flight whose answer never came: what they did may show later, so a later cleanup looks again. */
  unsettled?: { operation: string; sentAt: number }[];
}

export interface UpSettings extends Target {
  context?: DeployContext;
  taskDefinitionArn?: string;
  timeouts: Timeouts;
  /** Names this run (the CreateService client token is derived from it). */
  runId: string;
}

export interface RunTaskSettings extends Target {
  context?: DeployContext;
  taskDefinitionArn?: string;
  /** The container whose command is overridden and whose exit code is the result. */
  container: string;
  command: string[];
  timeouts: Timeouts;
  runId: string;
}

export interface CleanupSettings extends Target {
  /** Only this run's canaries; without it, every canary of the service (group `cage:canary-task:<service>`). */
  runId?: string;
  /** Events the main step recorded (its `resource` events are what it started). */
  recorded?: CageEvent[];
  /** Wait for draining before stopping; the post step of a canceled job has no time for it. */
  drain: boolean;
  timeouts: Timeouts;
}

/** `continue` and `rollback`: the service's current service deployment, or the one named. */
export interface NativeSettings extends Target {
  serviceDeploymentArn?: string;
  timeouts: Timeouts;
  /** `continue`: where following the deployment ends, `deployed` (its end) unless told; a second PAUSE hook pauses. */
  waitUntil?: "deployed" | "traffic-shifted" | "paused";
  /** `rollback` of a ROLLING service with nothing in flight: how the previous revision is rolled out (its canary). */
  rollout?: PreviousRollout;
}

/** A rollout's settings but what it deploys, which `rollback` reads from the service's deployments. */
export type PreviousRollout = Omit<RolloutSettings, keyof Target | "context" | "taskDefinitionArn" | "rollbackTo">;
