/**
 * The post step: when the main step was canceled, killed or crashed before the engine finished (and cleaned up),
 * deregister the canary's targets and stop the canary task saved in the step state. Silent when there is nothing
 * to do.
 */

import { createAwsPorts } from "../aws/clients.js";
import type { AwsPorts } from "../aws/ports.js";
import { type PendingCleanup, parsePending, STATE_CLEANUP, STATE_FINISHED } from "./cleanup-state.js";
import { endpointsOf } from "./inputs.js";
import { errorMessage } from "./publish.js";
import * as core from "./workflow-commands.js";

export interface PostDeps {
  env: Record<string, string | undefined>;
  aws: (pending: PendingCleanup, env: Record<string, string | undefined>) => AwsPorts;
}

const defaults: PostDeps = {
  env: process.env,
  aws: (pending, env) => createAwsPorts({ region: pending.region, endpoints: endpointsOf(env) }),
};

export async function runPost(overrides: Partial<PostDeps> = {}): Promise<void> {
  const deps = { ...defaults, ...overrides };
  if (core.getState(STATE_FINISHED) === "true") return;
  const pending = parsePending(core.getState(STATE_CLEANUP));
  if (!pending || (pending.tasks.length === 0 && pending.registrations.length === 0)) return;
  await core.group("Cleaning up the canary the main step left behind", async () => {
    let aws: AwsPorts;
    try {
      aws = deps.aws(pending, deps.env);
    } catch (error) {
      core.warning(`Could not reach AWS to clean up: ${errorMessage(error)}. ${leftBehind(pending)}`);
      return;
    }
    await cleanUp(aws, pending);
  });
}

async function cleanUp(aws: AwsPorts, pending: PendingCleanup): Promise<void> {
  for (const r of pending.registrations) {
    const target = { Id: r.targetId, ...(r.port === undefined ? {} : { Port: r.port }) };
    try {
      await aws.elbv2.deregisterTargets({ TargetGroupArn: r.targetGroupArn, Targets: [target] });
      core.info(`Deregistered ${r.targetId}${r.port === undefined ? "" : `:${r.port}`} from ${r.targetGroupArn}`);
    } catch (error) {
      // Killed between recording the registration and making it: there is nothing to deregister.
      if ((error as { name?: string }).name === "InvalidTargetException") {
        core.info(`${r.targetId} is not registered in ${r.targetGroupArn}; nothing to deregister`);
        continue;
      }
      core.warning(
        `Could not deregister ${r.targetId} from ${r.targetGroupArn}: ${errorMessage(error)}. Deregister it in the EC2 console (Target groups).`,
      );
    }
  }
  for (const task of pending.tasks) {
    try {
      await aws.ecs.stopTask({ cluster: pending.cluster, task, reason: "cage-action: the workflow step was canceled" });
      core.info(`Stopped canary task ${task}`);
    } catch (error) {
      core.warning(
        `Could not stop canary task ${task}: ${errorMessage(error)}. Stop it with: aws ecs stop-task --cluster ${pending.cluster} --task ${task}`,
      );
    }
  }
}

function leftBehind(pending: PendingCleanup): string {
  return `Left behind: tasks ${pending.tasks.join(", ") || "none"}; target registrations ${pending.registrations.map((r) => `${r.targetId} in ${r.targetGroupArn}`).join(", ") || "none"}.`;
}
