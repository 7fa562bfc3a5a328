/** `dry-run: true` on rollout, up or run: the checklist and the plan in the log and the summary; result `planned`. */
import type { DeployContext } from "../context/types.js";
import { Timeline } from "../engine/events.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { rolloutSettingsOf, runTaskSettingsOf, upSettingsOf, verifyOf } from "../inputs/settings.js";
import { workspaceOption } from "../inputs/workspace.js";
import { type DryRunCommand, dryRun } from "../verify/dry-run.js";
import { withIgnoreFile } from "../verify/ignore.js";
import { diffLogLines, diffSummary, renderPlan, renderPlanMarkdown } from "../verify/plan-render.js";
import { renderChecklist, renderChecklistMarkdown } from "../verify/render.js";
import { type CommandDeps, engineDepsOf, loadStepContext, runUrlOf } from "./deploy.js";
import { deployOutputs, deploySummary } from "./deploy-report.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { setOutputs } from "./outputs.js";
import { announce, timelineJson, writeJsonFile, writeSummary } from "./publish.js";
import { verifyOutputs } from "./verify.js";

const TITLE = { rollout: "Rollout", up: "Service creation", run: "Task run" } as const;

function commandOf(command: DryRunCommand["command"], settings: ActionSettings, context: DeployContext): DryRunCommand {
  if (command === "up") return { command, settings: upSettingsOf(settings, context, ACTION_NAMING) };
  if (command === "run") {
    const run = settings.run as NonNullable<ActionSettings["run"]>;
    return { command, settings: runTaskSettingsOf(settings, context, run, ACTION_NAMING) };
  }
  return { command, settings: rolloutSettingsOf(settings, context, ACTION_NAMING) };
}

export async function runDryRunCommand(
  command: DryRunCommand["command"],
  settings: ActionSettings,
  deps: CommandDeps,
): Promise<void> {
  const context = await loadStepContext(settings, deps);
  const run = commandOf(command, settings, context);
  const target = run.settings;
  const timeline = new Timeline();
  const log = new stepLog.GroupedLog();
  const engineDeps = engineDepsOf(settings, deps, [timeline.sink, log.write]);
  const verifySettings = await withIgnoreFile(
    verifyOf(command, run.settings, settings.audit),
    settings.audit.ignoreFile,
    workspaceOption(deps.env),
  );
  const outcome = await dryRun(run, verifySettings, engineDeps).finally(() => log.close());
  await stepLog.group("Verify", async () => {
    for (const line of renderChecklist(outcome.verify)) stepLog.info(line);
  });
  const diffLines = diffLogLines(outcome.diff);
  if (diffLines.length > 0) {
    await stepLog.group("Diff", async () => {
      for (const line of diffLines) stepLog.info(line);
    });
  }
  const plan = outcome.plan;
  if (plan) {
    await stepLog.group("Plan", async () => {
      for (const line of renderPlan(plan)) stepLog.info(line);
    });
  }
  const { result } = outcome;
  const timelinePath = writeJsonFile(deps.env, "timeline.json", {
    command,
    target,
    result,
    plan,
    events: timelineJson(timeline.events),
  });
  setOutputs({ ...deployOutputs(result, timelinePath), ...verifyOutputs(deps.env, outcome.verify) });
  if (settings.summary) {
    const runUrl = runUrlOf(deps.env);
    const sections = [
      deploySummary({ command, target, context, events: timeline.events, result, runUrl }),
      renderChecklistMarkdown(outcome.verify),
      ...diffSummary(outcome.diff),
      ...(plan ? [renderPlanMarkdown(plan)] : []),
    ];
    writeSummary(deps.env, `${sections.join("\n\n")}\n`);
  }
  announce(result.result, `${TITLE[command]} of ${target.service} ${result.result}`, result.message);
}
