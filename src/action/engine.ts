/**
 * The seam between the action and the commands it runs: the action calls only these signatures, tests can replay
 * a timeline through them, and `defaultEngine` binds them to the engine.
 */

import type { AuditReport } from "../audit/index.js";
import type { LoadOptions } from "../context/load.js";
import type { DeployContext } from "../context/types.js";
import type { NativeCommand } from "../engine/native-action.js";
import type {
  CommandResult,
  EngineDeps,
  NativeSettings,
  RolloutSettings,
  RunTaskSettings,
  UpSettings,
} from "../engine/settings.js";
import type { AuditInputs } from "../inputs/settings.js";

export interface AuditSettings {
  targets: { region: string; cluster: string; service: string; context?: DeployContext }[];
  source: AuditInputs["source"];
  failOn: AuditInputs["failOn"];
  failOnFixableOnly: boolean;
  failOnUnscanned: AuditInputs["failOnUnscanned"];
  ignoreFile?: string;
  scanWaitTimeout: number;
  /** Also render SARIF 2.1.0. */
  sarif: boolean;
  /** The runner's workspace: an ignore file found in it must not link out of it. */
  workspace?: string;
}

export interface AuditOutcome {
  report: AuditReport;
  /** The gate over the report: failed when a finding reaches `failOn` or an image has no usable scan; `warned`
   * when images without a usable scan passed (`failOnUnscanned`). */
  gate: { failed: boolean; reason: string; warned?: boolean };
  /** The report in the audit's versioned JSON schema. */
  json: string;
  sarif?: string;
}

export interface Engine {
  /** Reads, templates (`${VAR}` from the environment) and validates a deploy context folder. */
  loadContext(dir: string, options: LoadOptions): Promise<DeployContext>;
  rollout(settings: RolloutSettings, deps: EngineDeps): Promise<CommandResult>;
  up(settings: UpSettings, deps: EngineDeps): Promise<CommandResult>;
  runTask(settings: RunTaskSettings, deps: EngineDeps): Promise<CommandResult>;
  audit(settings: AuditSettings, deps: EngineDeps): Promise<AuditOutcome>;
  /** `continue` and `rollback` of the service's current service deployment. */
  native(command: NativeCommand, settings: NativeSettings, deps: EngineDeps): Promise<CommandResult>;
}

/** Each command's modules are imported when it runs: a step loads only the engine it needs. */
export const defaultEngine: Engine = {
  loadContext: async (dir, options) => (await import("../context/load.js")).loadDeployContext(dir, options),
  rollout: async (settings, deps) => (await import("../engine/rollout.js")).rollout(settings, deps),
  up: async (settings, deps) => (await import("../engine/up.js")).up(settings, deps),
  runTask: async (settings, deps) => (await import("../engine/run.js")).runTask(settings, deps),
  audit: runAudit,
  native: async (command, settings, deps) =>
    (await import("../engine/native-command.js")).nativeCommand(command, settings, deps),
};

/** A warning in the step's log when the SARIF file holds fewer results than the audit found. */
const truncated = (deps: EngineDeps) => (written: number, total: number) =>
  deps.events({
    type: "notice",
    level: "warning",
    at: deps.clock.now(),
    message: `the SARIF file holds the ${written} most severe of ${total} results, the most GitHub code scanning accepts in one run (the audit's JSON output has them all)`,
  });

/** The audit engine, its gate and renderers, as one step. */
async function runAudit(settings: AuditSettings, deps: EngineDeps): Promise<AuditOutcome> {
  const { audit, findIgnoreFile, gate, readIgnoreFile, renderJson, renderSarif } = await import("../audit/index.js");
  const contexts = settings.targets.flatMap((t) => (t.context ? [t.context] : []));
  // Without an explicit file, the first deploy context's folder, then the working directory.
  const ignoreFile = settings.ignoreFile ?? (await findIgnoreFile([...contexts.map((c) => c.dir), "."]));
  const report = await audit(
    {
      targets: settings.targets.map(({ region, cluster, service, context }) => ({
        region,
        cluster,
        service,
        ...(context?.taskDefinition ? { taskDefinition: context.taskDefinition } : {}),
        ...(context?.taskDefinitionFile ? { taskDefinitionFile: context.taskDefinitionFile } : {}),
      })),
      source: settings.source,
      scanWaitTimeout: settings.scanWaitTimeout,
      ...(ignoreFile ? { ignore: await readIgnoreFile(ignoreFile, { workspace: settings.workspace }) } : {}),
    },
    deps,
  );
  const files = Object.fromEntries(
    contexts.flatMap((c) =>
      c.taskDefinitionFile && c.taskDefinitionText ? [[c.taskDefinitionFile, c.taskDefinitionText]] : [],
    ),
  );
  return {
    report,
    gate: gate(report, {
      failOn: settings.failOn,
      fixableOnly: settings.failOnFixableOnly,
      failOnUnscanned: settings.failOnUnscanned,
    }),
    json: renderJson(report),
    ...(settings.sarif ? { sarif: renderSarif(report, { files, onTruncated: truncated(deps) }) } : {}),
  };
}
