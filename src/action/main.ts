/** The action's main step: read inputs, run the command, publish. The only module tree importing @actions/*. */

import * as core from "@actions/core";
import { createAwsPorts } from "../aws/clients.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { systemClock } from "../shared/clock.js";
import { runAuditCommand } from "./audit.js";
import { type CommandDeps, runDeployCommand } from "./deploy.js";
import { defaultEngine } from "./engine.js";
import { defaultGitHub } from "./github-steps.js";
import { readSettings, summaryWanted } from "./inputs.js";
import * as stepLog from "./log.js";
import { errorMessage, publishStepError } from "./publish.js";

export type ActionDeps = Omit<CommandDeps, "signal">;

const defaults: ActionDeps = {
  engine: defaultEngine,
  clock: systemClock,
  env: process.env,
  aws: (settings) => createAwsPorts({ region: settings.region, endpoints: settings.endpoints }),
  github: defaultGitHub,
};

export async function runAction(overrides: Partial<ActionDeps> = {}): Promise<void> {
  const deps = { ...defaults, ...overrides };
  const aborter = new AbortController();
  // The runner sends SIGINT, then SIGTERM, when a job is canceled: abort, and let the engine clean up.
  const cancel = () => aborter.abort(new Error("the workflow run was canceled"));
  process.once("SIGINT", cancel);
  process.once("SIGTERM", cancel);
  // Masked before any input is checked: an error message may quote an input the token was pasted into.
  const token = core.getInput("github-token").trim();
  if (token) core.setSecret(token);
  try {
    const settings = readSettings((name) => core.getInput(name), deps.env);
    for (const name of settings.ignored) {
      stepLog.warning(`'${name}' does not apply to ${ACTION_NAMING.command(settings.command)}; it has no effect here.`);
    }
    const commandDeps = { ...deps, signal: aborter.signal };
    if (settings.command === "setup") await (await import("./setup.js")).runSetup(settings, deps.env);
    else if (settings.command === "audit") await runAuditCommand(settings, commandDeps);
    else if (settings.command === "diff") await (await import("./diff.js")).runDiffCommand(settings, commandDeps);
    else if (settings.command === "plan") await (await import("./plan.js")).runPlanCommand(settings, commandDeps);
    else if (settings.command === "verify") await (await import("./verify.js")).runVerifyCommand(settings, commandDeps);
    else if (settings.command === "continue" || settings.command === "rollback")
      await (await import("./native.js")).runNativeCommand(settings.command, settings, commandDeps);
    else if (settings.dryRun)
      await (await import("./dry-run.js")).runDryRunCommand(settings.command, settings, commandDeps);
    else await runDeployCommand(settings.command, settings, commandDeps);
  } catch (error) {
    stepLog.setFailed(errorMessage(error));
    publishStepError(deps.env, error, { summary: summaryWanted(core.getInput), secrets: [token] });
  } finally {
    process.off("SIGINT", cancel);
    process.off("SIGTERM", cancel);
  }
}
