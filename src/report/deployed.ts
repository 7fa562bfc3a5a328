/** What a command put in place, read from the deploy context, the timeline and the result. */
import type { DeployContext } from "../context/types.js";
import type { CageEvent } from "../engine/events.js";
import type { CommandResult } from "../engine/settings.js";
import { awslogsOf } from "./logs.js";
import type { Deployed } from "./types.js";

export function deployedOf(context: DeployContext, events: readonly CageEvent[], result: CommandResult): Deployed {
  let previous: string | undefined;
  for (const e of events) {
    if (e.type !== "resource" || e.kind !== "service-update") continue;
    const from = e.detail?.previousTaskDefinition;
    if (typeof from === "string" && from) previous = from;
  }
  return {
    previousTaskDefinitionArn: previous,
    taskDefinitionArn: result.taskDefinitionArn,
    containers: (context.taskDefinition?.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? "",
      image: c.image,
      awslogs: awslogsOf(c),
    })),
  };
}
