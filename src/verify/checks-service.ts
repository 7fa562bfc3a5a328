/** The cluster, the service and the deploy context: pure checks over what was read. */
import type { CreateServiceRequest, Service } from "@aws-sdk/client-ecs";
import type { Check, Facts } from "./types.js";

export function clusterCheck(facts: Facts): Check {
  const name = `cluster ${facts.settings.cluster} is ACTIVE`;
  const read = facts.cluster;
  if (!read.ok) {
    if (read.code === "AccessDeniedException")
      return { name, status: "SKIP", reason: `ecs:DescribeClusters was denied: ${read.error}` };
    return { name, status: "NG", reason: read.error };
  }
  if (!read.value)
    return { name, status: "NG", reason: `no cluster ${facts.settings.cluster} in ${facts.settings.region}` };
  const status = read.value.status ?? "unknown";
  return status === "ACTIVE"
    ? { name, status: "OK", reason: "ACTIVE" }
    : { name, status: "NG", reason: `the cluster is ${status}; ECS starts no tasks in it` };
}

/** A rollout and a run need the service ACTIVE; `up` needs it absent (or INACTIVE, which ECS lets it recreate). */
export function serviceCheck(facts: Facts): Check {
  const { settings } = facts;
  const up = settings.for === "up";
  const name = up ? `service ${settings.service} does not exist yet` : `service ${settings.service} exists`;
  if (!facts.service.ok) return { name, status: "NG", reason: facts.service.error };
  const live = facts.service.value;
  const status = live?.status;
  if (up) {
    return !live || status === "INACTIVE"
      ? { name, status: "OK", reason: `up will create it in cluster ${settings.cluster}` }
      : { name, status: "NG", reason: `it exists (${status}); roll it out with ${facts.naming.command("rollout")}` };
  }
  if ((!live || status === "INACTIVE") && settings.for === "run") {
    return { name, status: "OK", reason: "it does not exist: the task runs with service.json's network settings" };
  }
  if (!live || status === "INACTIVE") {
    return {
      name,
      status: "NG",
      reason: `not in cluster ${settings.cluster}; create it with ${facts.naming.command("up")}`,
    };
  }
  if (status !== "ACTIVE") return { name, status: "NG", reason: `it is ${status}, not ACTIVE` };
  const controller = live.deploymentController?.type ?? "ECS";
  if (controller !== "ECS") return { name, status: "NG", reason: `it uses the ${controller} deployment controller` };
  return { name, status: "OK", reason: `ACTIVE, on ${live.taskDefinition ?? "no task definition"}` };
}

/** The loader validated the files before verify ran; a context that failed to load never gets here. */
export function contextCheck(facts: Facts): Check {
  const { context, taskDefinitionArn } = facts.settings;
  const name = "deploy context is valid";
  if (!context) return { name, status: "SKIP", reason: "no deploy context was given" };
  const files = [context.serviceFile, context.taskDefinitionFile].filter(Boolean).join(" and ");
  const using = taskDefinitionArn ? `; the task definition is ${taskDefinitionArn}` : "";
  return { name, status: "OK", reason: `${files} read, templated and validated${using}` };
}

/** Where the canary and the new tasks are launched: service.json for `up` or update-service, else the live service. */
export function launchSourceOf(facts: Facts): CreateServiceRequest | Service | undefined {
  const file = facts.settings.context?.service;
  const live = facts.service.ok ? facts.service.value : undefined;
  if (facts.settings.for === "up" || (facts.settings.updateService && file)) return file;
  return live ?? file;
}
