/**
 * The seam between the action and the commands it runs. The action calls only these signatures; the default
 * implementation binds them to the engine and audit modules.
 */
import type { DeployContext } from "../context/types.js";
import type { CommandResult, EngineDeps, RolloutSettings, Target, Timeouts } from "../engine/settings.js";
import type { AuditReport } from "../report/audit-markdown.js";
import type { AuditSource, FailOn } from "./inputs.js";

/** The same shape as the engine's RunTaskSettings. */
export interface RunSettings extends Target {
  context?: DeployContext;
  taskDefinitionArn?: string;
  /** The container whose command is overridden and whose exit code is the result. */
  container: string;
  command: string[];
  timeouts: Timeouts;
  runId: string;
}

export interface AuditSettings {
  targets: { region: string; cluster: string; service: string; context?: DeployContext }[];
  source: AuditSource;
  failOn: FailOn;
  failOnFixableOnly: boolean;
  ignoreFile?: string;
  scanWaitTimeout: number;
  /** Also render SARIF 2.1.0. */
  sarif: boolean;
}

export interface AuditOutcome {
  report: AuditReport;
  /** The gate over the report: failed when a finding reaches `failOn` or something could not be audited. */
  gate: { failed: boolean; reason: string };
  /** The report in the audit's versioned JSON schema. */
  json: string;
  sarif?: string;
}

export interface Engine {
  /** Reads and templates a deploy context folder (`${VAR}` from the environment). */
  loadContext(dir: string, env: Record<string, string | undefined>): Promise<DeployContext>;
  rollout(settings: RolloutSettings, deps: EngineDeps): Promise<CommandResult>;
  up(settings: RolloutSettings, deps: EngineDeps): Promise<CommandResult>;
  runTask(settings: RunSettings, deps: EngineDeps): Promise<CommandResult>;
  audit(settings: AuditSettings, deps: EngineDeps): Promise<AuditOutcome>;
}

const missing = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} is not part of this build of cage-action yet; use a released version.`);
};

export const defaultEngine: Engine = {
  loadContext: missing("Loading a deploy context"),
  rollout: missing("The rollout command"),
  up: missing("The up command"),
  runTask: missing("The run command"),
  audit: missing("The audit command"),
};
