/** `cage up | rollout | run | cleanup | continue | rollback`: build settings, run the engine with a live log, report the result. */
import { writeFileSync } from "node:fs";
import { createAwsPorts } from "../../aws/clients.js";
import type { DeployContext } from "../../context/types.js";
import { cleanup } from "../../engine/cleanup.js";
import type { CageEvent } from "../../engine/events.js";
import { nativeCommand } from "../../engine/native-command.js";
import { rollout } from "../../engine/rollout.js";
import { runTask } from "../../engine/run.js";
import type { CommandResult, EngineDeps, Target } from "../../engine/settings.js";
import { up } from "../../engine/up.js";
import { FIELDS } from "../../inputs/fields.js";
import { CLI_NAMING } from "../../inputs/naming.js";
import { deployedOf } from "../../report/deployed.js";
import { renderSummary } from "../../report/summary.js";
import type { ReportCommand } from "../../report/types.js";
import { inert } from "../../shared/inert.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { logLine } from "../log.js";
import {
  cleanupSettingsFrom,
  nativeSettingsFrom,
  outputFileFrom,
  rolloutSettingsFrom,
  runSettingsFrom,
  upSettingsFrom,
} from "../settings.js";

interface Prepared {
  aws: Parameters<typeof createAwsPorts>[0];
  target: Target;
  context?: DeployContext;
  start: (deps: EngineDeps) => Promise<CommandResult>;
}

function prepare(args: ParsedArgs, io: CliIo): Prepared {
  const now = io.clock.now();
  switch (args.command) {
    case "rollout": {
      const { aws, settings } = rolloutSettingsFrom(args, io.env, now);
      return { aws, target: settings, context: settings.context, start: (deps) => rollout(settings, deps) };
    }
    case "up": {
      const { aws, settings } = upSettingsFrom(args, io.env, now);
      return { aws, target: settings, context: settings.context, start: (deps) => up(settings, deps) };
    }
    case "run": {
      const { aws, settings } = runSettingsFrom(args, io.env, now);
      return { aws, target: settings, context: settings.context, start: (deps) => runTask(settings, deps) };
    }
    case "continue":
    case "rollback": {
      const command = args.command;
      const { aws, settings } = nativeSettingsFrom(command, args, io.env, now);
      return { aws, target: settings, start: (deps) => nativeCommand(command, settings, deps) };
    }
    default: {
      const { aws, settings } = cleanupSettingsFrom(args, io.env);
      return { aws, target: settings, start: (deps) => cleanup(settings, deps) };
    }
  }
}

/** The commands that take --dry-run. */
const DRY_RUNS = new Set(["rollout", "up", "run"]);
/** The commands whose summary is their own; any other is a rollout's. */
const REPORTED = new Set<string>(["up", "run", "cleanup", "continue", "rollback"]);

/**
 * Exit codes: 0 succeeded (or paused, as `--wait-until paused` asked); `run` passes its container's exit code
 * through; 1 failed or rolled back; 130 canceled.
 */
export function exitCodeOf(result: CommandResult): number {
  if (result.exitCode !== undefined && result.result !== "canceled") return result.exitCode;
  if (result.result === "succeeded" || result.result === "planned" || result.result === "paused") return 0;
  return result.result === "canceled" ? 130 : 1;
}

/** The followed service deployment, as the action's outputs of the same names give it. */
export function serviceDeploymentLines(result: CommandResult): string[] {
  const lines: [string, string | undefined][] = [
    ["service-deployment-arn", result.serviceDeploymentArn],
    ["lifecycle-stage", result.lifecycleStage],
    ["hook-id", result.hookId],
    ["hook-expires-at", result.hookExpiresAt?.toISOString()],
  ];
  return lines.filter(([, value]) => value).map(([name, value]) => `${name}: ${inert(value)}`);
}

export async function deployCommand(args: ParsedArgs, io: CliIo, ports = createAwsPorts): Promise<number> {
  if (DRY_RUNS.has(args.command ?? "") && args.values.get(FIELDS.dryRun) === true) {
    return (await import("./dry-run.js")).dryRunCommand(args, io, ports);
  }
  const summary = outputFileFrom(args, FIELDS.summaryFile, io.env);
  const { aws, target, context, start } = prepare(args, io);
  for (const notice of context?.notices ?? []) io.err(`cage: ${notice}`);
  const events: CageEvent[] = [];
  const startedAt = io.clock.now();
  const json = args.values.get(FIELDS.json) === true;
  const result = await start({
    aws: ports(aws),
    clock: io.clock,
    naming: CLI_NAMING,
    events: (e) => {
      events.push(e);
      const quiet = e.type !== "verdict" || e.result === "succeeded" || e.result === "paused";
      if (!json) (quiet ? io.out : io.err)(logLine(e, startedAt));
    },
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (!json) for (const line of serviceDeploymentLines(result)) io.out(line);
  if (json)
    io.out(
      JSON.stringify({ ...result, timeline: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) }, null, 2),
    );
  if (summary !== undefined) {
    const command = REPORTED.has(args.command ?? "") ? (args.command as Exclude<ReportCommand, "audit">) : "rollout";
    const deployed = context ? deployedOf(context, events, result) : undefined;
    writeFileSync(summary, renderSummary({ command, target, events, result, ...(deployed ? { deployed } : {}) }));
    io.err(`summary written to ${summary}`);
  }
  return exitCodeOf(result);
}
