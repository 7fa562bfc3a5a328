/**
 * What `rollout`, `up` and `run` tell the workflow: the outputs and the job summary, built from the result and the
 * timeline alone, so the reliability tests check the very values the step publishes.
 */
import type { DeployContext } from "../context/types.js";
import type { CageEvent } from "../engine/events.js";
import type { CommandResult, Target } from "../engine/settings.js";
import { deployedOf } from "../report/deployed.js";
import { renderSummary } from "../report/summary.js";
import type { OutputName } from "./outputs.js";

export type DeployCommand = "rollout" | "up" | "run";

export function deployOutputs(
  result: CommandResult,
  timelinePath?: string,
): Partial<Record<OutputName, string | number | undefined>> {
  return {
    result: result.result,
    "task-definition-arn": result.taskDefinitionArn,
    "canary-task-arn": result.canaryTaskArn,
    "deployment-id": result.deploymentId,
    "service-arn": result.serviceArn,
    "service-deployment-arn": result.serviceDeploymentArn,
    "exit-code": result.exitCode,
    "timeline-json": timelinePath,
  };
}

export interface DeploySummaryInput {
  command: DeployCommand;
  target: Target;
  context: DeployContext;
  events: readonly CageEvent[];
  result: CommandResult;
  runUrl?: string;
}

export function deploySummary(input: DeploySummaryInput): string {
  const { command, target, context, events, result, runUrl } = input;
  const deployed = deployedOf(context, events, result);
  return renderSummary({ command, target, events, result, deployed, runUrl });
}
