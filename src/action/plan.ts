/**
 * `plan`: the deploy plan of a pull request, from read calls only. The diff, the verify checklist and the audit of
 * the images it would deploy, in the log, the job summary and one sticky PR comment replaced on each push.
 */

import { ACTION_NAMING } from "../inputs/naming.js";
import { targetOf, verifySettingsOf } from "../inputs/settings.js";
import { workspaceOption } from "../inputs/workspace.js";
import type { DiffPlan } from "../plan/plan.js";
import { diffSettingsOf, planDiff } from "../plan/plan.js";
import { diffText } from "../plan/render.js";
import { planSections } from "../report/plan.js";
import { inert } from "../shared/inert.js";
import { withIgnoreFile } from "../verify/ignore.js";
import { countsLine, renderChecklist } from "../verify/render.js";
import type { Read } from "../verify/types.js";
import { verifyWithAudit } from "../verify/verify.js";
import { type CommandDeps, engineDepsOf, loadStepContext, runUrlOf } from "./deploy.js";
import { publishPrComment } from "./github-steps.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { setOutputs } from "./outputs.js";
import { upsertPlanComment } from "./pr-comment.js";
import { announce, errorMessage, writeSummary } from "./publish.js";
import { verifyOutputs } from "./verify.js";

export async function runPlanCommand(settings: ActionSettings, deps: CommandDeps): Promise<void> {
  const context = await loadStepContext(settings, deps);
  const target = targetOf(settings, context, ACTION_NAMING);
  const engineDeps = engineDepsOf(settings, deps, []);
  const diff: Read<DiffPlan> = await planDiff(diffSettingsOf(target, context, settings), engineDeps).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: inert(errorMessage(error)) }),
  );
  const verifySettings = await withIgnoreFile(
    verifySettingsOf(settings, context, settings.audit, ACTION_NAMING),
    settings.audit.ignoreFile,
    workspaceOption(deps.env),
  );
  const { report, audit } = await verifyWithAudit(verifySettings, engineDeps, settings.timeouts.overall);

  const text = diff.ok ? diffText(diff.value) : "";
  await stepLog.group("Diff", async () => {
    // The log's lines are made inert by stepLog.
    if (!diff.ok) stepLog.warning(`The diff could not be made: ${diff.error}`);
    else if (text) stepLog.info(text);
    else stepLog.info("No changes: the deploy context matches the live service.");
  });
  await stepLog.group("Verify", async () => {
    for (const line of renderChecklist(report)) stepLog.info(line);
  });
  setOutputs({
    result: report.failed ? "failed" : "succeeded",
    diff: text,
    "has-changes": diff.ok ? String(diff.value.changed) : undefined,
    ...verifyOutputs(deps.env, report),
  });

  const runUrl = runUrlOf(deps.env);
  const sections = planSections({ target, diff, verify: report, audit, sha: deps.env.GITHUB_SHA, runUrl });
  if (settings.summary) writeSummary(deps.env, `${sections.join("\n\n")}\n`);
  const key = `region=${target.region};cluster=${target.cluster};service=${target.service}`;
  await publishPrComment(settings, deps.env, deps.github, "plan", (github, pr) =>
    upsertPlanComment(github, pr, key, sections, runUrl),
  );
  const what = `${target.cluster}/${target.service}`;
  announce(report.failed ? "failed" : "succeeded", `Plan of ${what}`, countsLine(report));
}
