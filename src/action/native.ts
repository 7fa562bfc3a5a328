/** `command: continue` and `command: rollback`: the service's current (or named) service deployment, followed to its end. */

import * as core from "@actions/core";
import type { DeployContext } from "../context/types.js";
import { Timeline } from "../engine/events.js";
import type { NativeCommand } from "../engine/native-action.js";
import { ServiceChange } from "../engine/service-change.js";
import type { CommandResult } from "../engine/settings.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { nativeSettingsOf } from "../inputs/settings.js";
import { renderSummary } from "../report/summary.js";
import { CleanupTracker } from "./cleanup-state.js";
import { type CommandDeps, contextOptions, engineDepsOf, runUrlOf } from "./deploy.js";
import { deployOutputs } from "./deploy-report.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { setOutputs } from "./outputs.js";
import { announce, errorMessage, timelineJson, writeJsonFile, writeSummary } from "./publish.js";

const TITLE: Record<NativeCommand, string> = { continue: "Continuation", rollback: "Rollback" };

export async function runNativeCommand(
  command: NativeCommand,
  settings: ActionSettings,
  deps: CommandDeps,
): Promise<void> {
  const context = await serviceContext(settings, deps);
  const native = nativeSettingsOf(command, settings, context, ACTION_NAMING);
  const timeline = new Timeline();
  // A rollback of a ROLLING service starts a canary: the post step stops it if this step is killed.
  const tracker = new CleanupTracker({ ...native, runId: settings.runId }, (name, value) =>
    core.saveState(name, value),
  );
  const log = new stepLog.GroupedLog();
  const engineDeps = engineDepsOf(settings, deps, [timeline.sink, (event) => tracker.track(event), log.write]);
  let result: CommandResult;
  try {
    result = await deps.engine.native(command, native, engineDeps);
    tracker.concluded(result);
  } catch (error) {
    const change = new ServiceChange();
    change.unknown("the step stopped before the deployment was read back");
    result = {
      result: deps.signal.aborted ? "canceled" : "failed",
      message: `${TITLE[command]} stopped with an error: ${errorMessage(error)}. ${change.sentence(native, false)}`,
      serviceChanged: change.changed,
    };
  } finally {
    log.close();
  }
  const timelinePath = writeJsonFile(deps.env, "timeline.json", {
    command,
    target: native,
    result,
    events: timelineJson(timeline.events),
  });
  setOutputs(deployOutputs(result, timelinePath));
  if (settings.summary) {
    const runUrl = runUrlOf(deps.env);
    writeSummary(
      deps.env,
      renderSummary({ command, target: native, events: timeline.events, result, ...(runUrl ? { runUrl } : {}) }),
    );
  }
  announce(result.result, `${TITLE[command]} of ${native.service} ${result.result}`, result.message);
}

/** The deploy context is optional here, and only its service.json is read: it names the service when 'service' does not. */
async function serviceContext(settings: ActionSettings, deps: CommandDeps): Promise<DeployContext | undefined> {
  const dir = settings.deployContexts[0];
  if (dir === undefined) return undefined;
  return stepLog.group(`Deploy context ${dir}`, () =>
    deps.engine.loadContext(dir, { ...contextOptions(settings, deps.env), serviceOnly: true }),
  );
}
