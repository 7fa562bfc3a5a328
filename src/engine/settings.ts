import type { AwsPorts } from "../aws/ports.js";
import type { DeployContext } from "../context/types.js";
import type { Clock } from "../shared/clock.js";
import type { CageEvent, EventSink, Result } from "./events.js";

/** Everything a command needs from the outside world, injected. */
export interface EngineDeps {
  aws: AwsPorts;
  clock: Clock;
  events: EventSink;
  /** Aborted on cancellation (SIGINT/SIGTERM, a canceled job); cleanup still runs. */
  signal?: AbortSignal;
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
  timeouts: Timeouts;
  onDeploymentFailure: "rollback" | "leave";
  /** Wait for a deployment in progress (or another run's canary) to finish instead of refusing. */
  waitIfBusy: boolean;
  /** Names this run in the canary's startedBy and tags (e.g. the GitHub run id). */
  runId: string;
}

export interface CommandResult {
  result: Result;
  message: string;
  /** From what was read back: "unknown" when a change was sent and what it did could not be read. */
  serviceChanged: boolean | "unknown";
  taskDefinitionArn?: string;
  canaryTaskArn?: string;
  deploymentId?: string;
  serviceArn?: string;
  exitCode?: number;
  /** The one-off task of `run`. */
  taskArn?: string;
  /** What explains a failure: service events, failed tasks' stop reasons (also in `message`). */
  evidence?: string[];
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
