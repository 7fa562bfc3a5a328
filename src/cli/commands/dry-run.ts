/** `cage rollout|up|run --dry-run`: preflight, verify and the plan, with read calls only; exit 0 when planned. */
import { writeFileSync } from "node:fs";
import { createAwsPorts } from "../../aws/clients.js";
import type { CageEvent } from "../../engine/events.js";
import { FIELDS as F } from "../../inputs/fields.js";
import { CLI_NAMING } from "../../inputs/naming.js";
import { verifyOf } from "../../inputs/settings.js";
import { workspaceOption } from "../../inputs/workspace.js";
import { renderSummary } from "../../report/summary.js";
import { inert } from "../../shared/inert.js";
import { type DryRunCommand, dryRun } from "../../verify/dry-run.js";
import { withIgnoreFile } from "../../verify/ignore.js";
import { diffLogLines, diffSummary, renderPlan, renderPlanMarkdown } from "../../verify/plan-render.js";
import { renderChecklist, renderChecklistMarkdown } from "../../verify/render.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { logLine } from "../log.js";
import { auditInputsFrom, outputFileFrom, rolloutSettingsFrom, runSettingsFrom, upSettingsFrom } from "../settings.js";

function commandOf(args: ParsedArgs, io: CliIo): { aws: Parameters<typeof createAwsPorts>[0]; run: DryRunCommand } {
  const now = io.clock.now();
  if (args.command === "up") {
    const { aws, settings } = upSettingsFrom(args, io.env, now);
    return { aws, run: { command: "up", settings } };
  }
  if (args.command === "run") {
    const { aws, settings } = runSettingsFrom(args, io.env, now);
    return { aws, run: { command: "run", settings } };
  }
  const { aws, settings } = rolloutSettingsFrom(args, io.env, now);
  return { aws, run: { command: "rollout", settings } };
}

export async function dryRunCommand(args: ParsedArgs, io: CliIo, ports = createAwsPorts): Promise<number> {
  const summary = outputFileFrom(args, F.summaryFile, io.env);
  const { aws, run } = commandOf(args, io);
  const events: CageEvent[] = [];
  const startedAt = io.clock.now();
  const json = args.values.get(F.json) === true;
  const audit = auditInputsFrom(args);
  const verifySettings = await withIgnoreFile(
    verifyOf(run.command, run.settings, audit),
    audit.ignoreFile,
    workspaceOption(io.env),
  );
  const outcome = await dryRun(run, verifySettings, {
    aws: ports(aws),
    clock: io.clock,
    naming: CLI_NAMING,
    events: (e) => {
      events.push(e);
      if (!json) io.out(logLine(e, startedAt));
    },
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (json) io.out(JSON.stringify(outcome, null, 2));
  else {
    for (const line of renderChecklist(outcome.verify)) io.out(line);
    for (const line of diffLogLines(outcome.diff)) io.out(line);
    if (outcome.plan) for (const line of renderPlan(outcome.plan)) io.out(line);
    (outcome.result.result === "planned" ? io.out : io.err)(inert(outcome.result.message));
  }
  if (summary !== undefined) {
    const { command, settings } = run;
    const sections = [
      renderSummary({ command, target: settings, events, result: outcome.result }),
      renderChecklistMarkdown(outcome.verify),
      ...diffSummary(outcome.diff),
      ...(outcome.plan ? [renderPlanMarkdown(outcome.plan)] : []),
    ];
    writeFileSync(summary, sections.join("\n\n"));
    io.err(`summary written to ${summary}`);
  }
  return outcome.result.result === "planned" ? 0 : 1;
}
