/** `verify`: the checklist in the log and as a table in the job summary; `verify-result` and `verify-json`. */
import { DeployContextError } from "../context/load.js";
import type { DeployContext } from "../context/types.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { verifySettingsOf } from "../inputs/settings.js";
import { workspaceOption } from "../inputs/workspace.js";
import { withIgnoreFile } from "../verify/ignore.js";
import { countsLine, renderChecklist, renderChecklistMarkdown } from "../verify/render.js";
import type { VerifyReport } from "../verify/types.js";
import { reportOf, verify } from "../verify/verify.js";
import { type CommandDeps, contextOptions, engineDepsOf } from "./deploy.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { type OutputName, setOutputs } from "./outputs.js";
import { announce, writeJsonFile, writeSummary } from "./publish.js";

export async function runVerifyCommand(settings: ActionSettings, deps: CommandDeps): Promise<void> {
  const report = await checklistOf(settings, deps);
  await stepLog.group("Verify", async () => {
    for (const line of renderChecklist(report)) stepLog.info(line);
  });
  setOutputs({ result: report.failed ? "failed" : "succeeded", ...verifyOutputs(deps.env, report) });
  if (settings.summary) writeSummary(deps.env, `${renderChecklistMarkdown(report)}\n`);
  const result = report.failed ? "failed" : "succeeded";
  announce(result, `Verify ${report.failed ? "failed" : "passed"}`, countsLine(report));
}

/** The checklist's outputs, for `verify` and `dry-run`. */
export function verifyOutputs(env: CommandDeps["env"], report: VerifyReport): Partial<Record<OutputName, string>> {
  return {
    "verify-result": report.failed ? "failed" : "passed",
    "verify-json": writeJsonFile(env, "verify.json", report),
  };
}

async function checklistOf(settings: ActionSettings, deps: CommandDeps): Promise<VerifyReport> {
  const dir = settings.deployContexts[0] as string;
  let context: DeployContext;
  try {
    context = await deps.engine.loadContext(dir, contextOptions(settings, deps.env));
  } catch (error) {
    if (!(error instanceof DeployContextError)) throw error;
    return reportOf([
      { name: "deploy context is valid", status: "NG", reason: error.message },
      { name: "everything else", status: "SKIP", reason: "needs a deploy context that loads" },
    ]);
  }
  const verifySettings = await withIgnoreFile(
    verifySettingsOf(settings, context, settings.audit, ACTION_NAMING),
    settings.audit.ignoreFile,
    workspaceOption(deps.env),
  );
  return verify(verifySettings, engineDepsOf(settings, deps, []), settings.timeouts.overall);
}
