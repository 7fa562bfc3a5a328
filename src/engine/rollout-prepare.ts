/** Everything a rollout settles before it starts the canary: preflight checks, the task definition, the launch. */
import type { Service } from "@aws-sdk/client-ecs";
import { familyOf } from "./canary-finder.js";
import type { LaunchSource } from "./canary-start.js";
import { runsOnFargate } from "./canary-start.js";
import { type ContainerInstance, resolveContainerInstance } from "./container-instance.js";
import { CageError } from "./errors.js";
import { startedByFor } from "./labels.js";
import { awaitQuietService, noticeDisagreements, noticeOtherAccounts, requireActiveService } from "./preflight.js";
import { inPhase, type Session } from "./session.js";
import type { RolloutSettings } from "./settings.js";
import { readTargetGroups } from "./target-groups.js";
import { portMismatches, type TargetGroupInfo, targetGroupEntries } from "./targets.js";
import {
  plannedContainers,
  plannedFamily,
  type ResolvedTaskDefinition,
  resolveTaskDefinition,
} from "./task-definition.js";

export interface Prepared {
  live: Service;
  source: LaunchSource;
  instance?: ContainerInstance;
  groups: Map<string, TargetGroupInfo>;
  taskDefinition: ResolvedTaskDefinition;
}

export async function prepareRollout(session: Session, settings: RolloutSettings): Promise<Prepared> {
  const checked = await inPhase(session, "preflight", `${settings.cluster}/${settings.service}`, () =>
    preflight(session, settings),
  );
  const taskDefinition = await resolveTaskDefinition(session, settings);
  if (!plannedContainers(settings)) requireMatchingPorts(checked.source, taskDefinition.containers);
  return { ...checked, taskDefinition };
}

async function preflight(session: Session, settings: RolloutSettings): Promise<Omit<Prepared, "taskDefinition">> {
  noticeDisagreements(session, settings, settings.context);
  const first = await requireActiveService(session, settings);
  noticeOtherAccounts(session, settings.context, first.serviceArn);
  const file = settings.context?.service;
  if (settings.updateService && !file) {
    throw new CageError(
      "refused",
      "preflight",
      "'update-service' is set but the deploy context has no service.json to take the service's settings from.",
      "Add service.json to the deploy context, or unset 'update-service'.",
    );
  }
  const source: LaunchSource = settings.updateService && file ? file : first;
  if (settings.updateService) {
    session.emit({
      type: "notice",
      level: "info",
      message:
        "'update-service' is set: the canary is launched with service.json's network, capacity and load balancer settings.",
    });
  }
  for (const lb of source.loadBalancers ?? []) {
    if (!lb.targetGroupArn) {
      session.emit({
        type: "notice",
        level: "warning",
        message: `Load balancer entry '${lb.loadBalancerName ?? "?"}' is a Classic Load Balancer: the canary cannot be registered to it and is not evaluated through it.`,
      });
    }
  }
  const containers = plannedContainers(settings);
  if (containers) requireMatchingPorts(source, containers);
  let instance: ContainerInstance | undefined;
  if (settings.canaryInstanceArn) {
    if (runsOnFargate(source) && source.launchType !== "EC2" && !source.capacityProviderStrategy?.length) {
      throw new CageError(
        "refused",
        "preflight",
        `'canary-instance-arn' is set, but service '${settings.service}' runs on Fargate, where tasks cannot be placed on an instance.`,
        "Remove 'canary-instance-arn' for Fargate services.",
      );
    }
    instance = await resolveContainerInstance(session, settings.cluster, settings.canaryInstanceArn);
  }
  const groups = await readTargetGroups(
    session,
    "preflight",
    targetGroupEntries(source.loadBalancers).map((lb) => lb.targetGroupArn),
  );
  const families = [first.taskDefinition, plannedFamily(settings)].filter((f): f is string => !!f).map(familyOf);
  const live = await awaitQuietService(
    session,
    {
      target: settings,
      families,
      startedBy: startedByFor(settings.runId),
      waitIfBusy: settings.waitIfBusy,
      timeout: settings.timeouts.deployment,
    },
    first,
  );
  return { live, source: settings.updateService && file ? file : live, ...(instance ? { instance } : {}), groups };
}

function requireMatchingPorts(source: LaunchSource, containers: Parameters<typeof portMismatches>[1]): void {
  const problems = portMismatches(source.loadBalancers, containers);
  if (problems.length > 0) {
    throw new CageError(
      "refused",
      "preflight",
      `The new task definition does not fit the service's load balancers: ${problems.join("; ")}. Nothing was changed.`,
      "Fix the containerName/containerPort of the load balancer entries or the container's portMappings.",
    );
  }
}
