/** What a command put in place, read from the deploy context, the timeline and the result. */
import type { DeployContext } from "../context/types.js";
import type { CageEvent } from "../engine/events.js";
import type { CommandResult } from "../engine/settings.js";
import { awslogsOf } from "./logs.js";
import type { Deployed } from "./types.js";

/** The image digests the canary (or the one-off task) reported: what the new revision really runs. */
function digestsOf(events: readonly CageEvent[], taskArn: string | undefined): Map<string, string> {
  const digests = new Map<string, string>();
  for (const e of events) {
    if (e.type !== "task-status" || (taskArn && e.taskArn !== taskArn)) continue;
    for (const c of e.containers ?? []) if (c.imageDigest) digests.set(c.name, c.imageDigest);
  }
  return digests;
}

export function deployedOf(context: DeployContext, events: readonly CageEvent[], result: CommandResult): Deployed {
  let previous: string | undefined;
  for (const e of events) {
    if (e.type !== "resource" || e.kind !== "service-update") continue;
    const from = e.detail?.previousTaskDefinition;
    if (typeof from === "string" && from) previous = from;
  }
  const digests = digestsOf(events, result.canaryTaskArn ?? result.taskArn);
  return {
    previousTaskDefinitionArn: previous,
    taskDefinitionArn: result.taskDefinitionArn,
    containers: (context.taskDefinition?.containerDefinitions ?? []).map((c) => {
      const digest = digests.get(c.name ?? "");
      return { name: c.name ?? "", image: c.image, ...(digest ? { imageDigest: digest } : {}), awslogs: awslogsOf(c) };
    }),
  };
}
