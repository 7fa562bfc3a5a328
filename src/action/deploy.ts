/** `rollout`, `up` and `run`: load the context, run the engine with the step's log and state, publish the result. */

import * as core from "@actions/core";
import type { AwsPorts } from "../aws/ports.js";
import type { LoadOptions } from "../context/load.js";
import type { DeployContext } from "../context/types.js";
import { type EventSink, Timeline } from "../engine/events.js";
import { ServiceChange } from "../engine/service-change.js";
import type { CommandResult, EngineDeps } from "../engine/settings.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { rolloutSettingsOf, runTaskSettingsOf, targetOf, upSettingsOf } from "../inputs/settings.js";
import { workspaceOption } from "../inputs/workspace.js";
import type { Clock } from "../shared/clock.js";
import { CleanupTracker } from "./cleanup-state.js";
import { deployOutputs, deploySummary } from "./deploy-report.js";
import type { Engine } from "./engine.js";
import { type GitHubFactory, startDeployment } from "./github-steps.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { setOutputs } from "./outputs.js";
import { announce, errorMessage, timelineJson, writeJsonFile, writeSummary } from "./publish.js";

export interface CommandDeps {
  engine: Engine;
  clock: Clock;
  env: Record<string, string | undefined>;
  aws: (settings: ActionSettings) => AwsPorts;
  github: GitHubFactory;
  /** Aborted when the runner cancels the step. */
  signal: AbortSignal;
}

const TITLE = { rollout: "Rollout", up: "Service creation", run: "Task run" } as const;

/** How a step loads its one deploy context: templated from the environment, with `images` and the workspace. */
export function contextOptions(settings: ActionSettings, env: CommandDeps["env"]): LoadOptions {
  return {
    env,
    taskDefinitionArn: settings.taskDefinitionArn,
    ...workspaceOption(env),
    ...(settings.images ? { images: settings.images } : {}),
  };
}

/** The step's deploy context, loaded in its own log group; its notices (keys dropped, ...) become notices. */
export async function loadStepContext(settings: ActionSettings, deps: CommandDeps): Promise<DeployContext> {
  const dir = settings.deployContexts[0] as string;
  const context = await stepLog.group(`Deploy context ${dir}`, () =>
    deps.engine.loadContext(dir, contextOptions(settings, deps.env)),
  );
  for (const notice of context.notices ?? []) stepLog.notice(notice);
  return context;
}

export async function runDeployCommand(
  command: "rollout" | "up" | "run",
  settings: ActionSettings,
  deps: CommandDeps,
): Promise<void> {
  const context = await loadStepContext(settings, deps);
  const target = targetOf(settings, context, ACTION_NAMING);

  const timeline = new Timeline();
  const tracker = new CleanupTracker({ ...target, runId: settings.runId }, (name, value) =>
    core.saveState(name, value),
  );
  const log = new stepLog.GroupedLog();
  const engineDeps = engineDepsOf(settings, deps, [timeline.sink, (event) => tracker.track(event), log.write]);

  const finishDeployment =
    command === "run"
      ? undefined
      : await startDeployment(settings, target.service, deps.env, deps.github, runUrlOf(deps.env));
  let result: CommandResult;
  try {
    if (command === "run") {
      const run = settings.run as NonNullable<ActionSettings["run"]>;
      result = await deps.engine.runTask(runTaskSettingsOf(settings, context, run, ACTION_NAMING), engineDeps);
    } else if (command === "up") {
      result = await deps.engine.up(upSettingsOf(settings, context, ACTION_NAMING), engineDeps);
    } else {
      result = await deps.engine.rollout(rolloutSettingsOf(settings, context, ACTION_NAMING), engineDeps);
    }
    tracker.concluded(result);
  } catch (error) {
    // The engine stopped before its verdict and read nothing back: what a rollout or an `up` changed is not known.
    const change = new ServiceChange();
    if (command !== "run") change.unknown("the step stopped before the service was read back");
    result = {
      result: deps.signal.aborted ? "canceled" : "failed",
      message: `${TITLE[command]} stopped with an error: ${errorMessage(error)}. ${change.sentence(target, false)}`,
      serviceChanged: change.changed,
    };
  } finally {
    log.close();
  }

  const timelinePath = writeJsonFile(deps.env, "timeline.json", {
    command,
    target,
    result,
    events: timelineJson(timeline.events),
  });
  setOutputs(deployOutputs(result, timelinePath));
  if (settings.summary) {
    const runUrl = runUrlOf(deps.env);
    writeSummary(deps.env, deploySummary({ command, target, context, events: timeline.events, result, runUrl }));
  }
  await finishDeployment?.(result.result, result.message);
  announce(result.result, `${TITLE[command]} of ${target.service} ${result.result}`, result.message);
}

/** What the engine runs with in this step: its AWS, clock and cancellation, every event to each sink. */
export function engineDepsOf(settings: ActionSettings, deps: CommandDeps, sinks: EventSink[]): EngineDeps {
  return {
    aws: deps.aws(settings),
    clock: deps.clock,
    signal: deps.signal,
    naming: ACTION_NAMING,
    events: (event) => {
      for (const sink of sinks) sink(event);
    },
  };
}

export function runUrlOf(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}
