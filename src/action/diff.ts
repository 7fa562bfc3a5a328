/** `diff`: what a rollout of the deploy context would change: to the log, the job summary and the outputs. */
import { ACTION_NAMING } from "../inputs/naming.js";
import { targetOf } from "../inputs/settings.js";
import { diffSettingsOf, planDiff } from "../plan/plan.js";
import { diffMarkdown, diffText } from "../plan/render.js";
import { type CommandDeps, engineDepsOf, loadStepContext } from "./deploy.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { setOutputs } from "./outputs.js";
import { announce, writeSummary } from "./publish.js";

export async function runDiffCommand(settings: ActionSettings, deps: CommandDeps): Promise<void> {
  const context = await loadStepContext(settings, deps);
  const target = targetOf(settings, context, ACTION_NAMING);
  const plan = await planDiff(diffSettingsOf(target, context, settings), engineDepsOf(settings, deps, []));
  const text = diffText(plan);
  // The log's lines are made inert by stepLog; the summary's block is escaped by diffMarkdown.
  if (text) stepLog.info(text);
  for (const note of plan.notes) stepLog.info(note);
  const failed = plan.changed && settings.exitCode;
  setOutputs({ result: failed ? "failed" : "succeeded", diff: text, "has-changes": plan.changed ? "true" : "false" });
  if (settings.summary) writeSummary(deps.env, diffMarkdown(plan, `Diff of ${target.cluster}/${target.service}`));
  const what = `${target.cluster}/${target.service}`;
  if (failed) {
    announce("failed", `Diff of ${what}`, `The deploy context would change ${what} ('fail-on-changes' is set).`);
  } else {
    const message = plan.changed ? `The deploy context would change ${what}.` : `No changes to ${what}.`;
    announce("succeeded", `Diff of ${what}`, message);
  }
}
