/**
 * Invariant 4: what the user is told — the `result` output, the job summary's headline and alert, the CLI's exit
 * code — agrees with the world. The told values come from the functions the action and the CLI publish them with.
 */
import type { Service } from "@aws-sdk/client-ecs";
import { type DeployCommand, deployOutputs, deploySummary } from "../../src/action/deploy-report.js";
import { exitCodeOf } from "../../src/cli/commands/deploy.js";
import type { DeployContext } from "../../src/context/types.js";
import type { CommandResult } from "../../src/engine/settings.js";
import type { CallRecord } from "../../src/sim/journal.js";
import { webContext } from "../engine/scenarios/world.js";
import type { Run, ServiceSnapshot } from "./harness.js";

export interface Told {
  command?: DeployCommand;
  /** The deploy context the command was given (the demo's web at v2 unless told). */
  context?: DeployContext;
}

const HEADLINE = /^### .+ (succeeded|failed and was rolled back|failed|was canceled|is paused at a lifecycle hook)$/;
const VERB: Record<CommandResult["result"], string> = {
  succeeded: "succeeded",
  failed: "failed",
  "rolled-back": "failed and was rolled back",
  canceled: "was canceled",
  planned: "was planned (dry run: nothing was changed)",
  paused: "is paused at a lifecycle hook",
};

interface World {
  changed: boolean;
  /** The revision the command put into the service completed its deployment and is what the service runs. */
  deployed: boolean;
  /** The service was changed, then put back on the revision it ran before. */
  back: boolean;
  /** ... and that deployment completed. */
  rolledBack: boolean;
}

function worldOf(calls: readonly CallRecord[], svc: Service | undefined, before: ServiceSnapshot): World {
  const changes = calls.filter(
    (c) => (c.operation === "UpdateService" || c.operation === "CreateService") && c.status === 200,
  );
  const sent = (changes[0]?.params as { taskDefinition?: string } | undefined)?.taskDefinition;
  const running = svc?.taskDefinition;
  const completed = svc?.deployments?.some(
    (d) => d.taskDefinition === running && d.status === "PRIMARY" && d.rolloutState === "COMPLETED",
  );
  const previous = before.taskDefinition;
  const back = changes.length > 0 && previous !== undefined && previous !== sent && running === previous;
  return {
    changed: changes.length > 0,
    deployed: changes.length > 0 && sent !== undefined && running === sent && completed === true,
    back,
    rolledBack: back && completed === true,
  };
}

export function toldMatchesWorld(
  s: Run,
  result: CommandResult,
  calls: readonly CallRecord[],
  svc: Service | undefined,
  before: ServiceSnapshot,
  told: Told & { cluster: string; service: string },
): string[] {
  const command = told.command ?? "rollout";
  const world = worldOf(calls, svc, before);
  const output = String(deployOutputs(result).result);
  const summary = deploySummary({
    command,
    target: { region: "us-east-1", cluster: told.cluster, service: told.service },
    context: told.context ?? webContext("v2"),
    events: s.stamped.map((e) => e.event),
    result,
  });
  const [headline = "", alert = ""] = summary.split("\n\n");
  const verb = HEADLINE.exec(headline)?.[1];
  const exit = exitCodeOf(result);
  const problems: string[] = [];

  if (output !== result.result) problems.push(`the result output is '${output}', the engine said ${result.result}`);
  if (verb !== VERB[result.result]) {
    problems.push(`the summary's headline '${headline}' does not say the result output's '${output}'`);
  }
  if (command !== "run" && (exit === 0) !== (output === "succeeded" || output === "paused")) {
    problems.push(`exit code ${exit} for a ${output} ${command}`);
  }
  if (output === "succeeded" && world.changed && !world.deployed) {
    problems.push("reported succeeded, but the service does not run a completed deployment of what was sent");
  }
  if (world.deployed && output !== "succeeded" && output !== "canceled") {
    problems.push(`reported ${output}, but the deployment completed and the service runs the new revision`);
  }
  if (world.rolledBack && output !== "rolled-back" && output !== "canceled") {
    problems.push(`reported ${output}, but the service was rolled back`);
  }
  if (output === "rolled-back" && !world.back) problems.push("reported rolled-back, but the service is not back");
  if (output !== "succeeded" && result.serviceChanged === "unknown") {
    if (!/whether the service was changed is not known/i.test(alert)) {
      problems.push(`serviceChanged is unknown, but the summary does not say so: ${alert}`);
    }
    if (/service was not changed|the service was changed;/i.test(alert)) {
      problems.push(`serviceChanged is unknown, but the summary claims an answer: ${alert}`);
    }
  } else if (output !== "succeeded" && output !== "paused") {
    const said = /service was (not )?changed/i.exec(alert);
    if (!said) problems.push(`the summary of a ${output} ${command} does not say whether the service changed`);
    else if (!said[1] !== world.changed) {
      problems.push(`the summary says '${said[0]}', but the journal says changed=${world.changed}`);
    }
  }
  return problems;
}
