/**
 * Everything settled before anything changes: the service, its state, other runs' canaries, the inputs' agreement;
 * for a rollout also the task definition and how the canary is launched.
 */
import type { Service } from "@aws-sdk/client-ecs";
import { otherAccountArns, otherRegionArns } from "../context/arns.js";
import type { DeployContext } from "../context/types.js";
import { refuseFiringAlarms, type SoakPlan, soakPlan } from "./alarms.js";
import { findCanaries } from "./canary-finder.js";
import { tryMetricChecks } from "./canary-metrics.js";
import { type LaunchSource, runsOnFargate } from "./canary-start.js";
import { classifyService, isNative, refusalOf } from "./classify.js";
import { type ContainerInstance, resolveContainerInstance } from "./container-instance.js";
import { CageError } from "./errors.js";
import type { Phase } from "./events.js";
import { startedByFor } from "./labels.js";
import { nativeBusyReason } from "./native-busy.js";
import { callAws, type Poll, waitFor } from "./polling.js";
import { alternateGroupsOf, resolveProductionLoadBalancers } from "./production-target.js";
import { inPhase, type Session } from "./session.js";
import type { RolloutSettings, Target } from "./settings.js";
import { readTargetGroups } from "./target-health.js";
import { portMismatches, type TargetGroupInfo, targetGroupEntries } from "./targets.js";
import {
  familyOf,
  plannedContainers,
  plannedFamily,
  type ResolvedTaskDefinition,
  resolveTaskDefinition,
} from "./task-definition.js";

/** The inputs win over service.json, and say so: never silently. ARNs of another region are named too. */
export function noticeDisagreements(session: Session, target: Target, context: DeployContext | undefined): void {
  const file = context?.service;
  if (!context || !file) return;
  for (const message of otherRegionArns(context, target.region))
    session.emit({ type: "notice", level: "warning", message });
  const where = context?.serviceFile ?? "service.json";
  if (file.cluster && !sameName(file.cluster, target.cluster)) {
    session.emit({
      type: "notice",
      level: "warning",
      message: `${where} names cluster '${file.cluster}' but the input says '${target.cluster}'; using '${target.cluster}'.`,
    });
  }
  if (file.serviceName && !sameName(file.serviceName, target.service)) {
    session.emit({
      type: "notice",
      level: "warning",
      message: `${where} names service '${file.serviceName}' but the input says '${target.service}'; using '${target.service}'.`,
    });
  }
}

/** ARNs of another account than the live service's, which ECS cannot use; known only once the service is read. */
export function noticeOtherAccounts(session: Session, context: DeployContext | undefined, serviceArn?: string): void {
  const account = serviceArn ? /^arn:[^:]+:ecs:[^:]*:(\d{12}):/.exec(serviceArn)?.[1] : undefined;
  if (!context || !account) return;
  for (const message of otherAccountArns(context, account)) session.emit({ type: "notice", level: "warning", message });
}

/** A name and an ARN ending in that name are the same thing. */
function sameName(a: string, b: string): boolean {
  const tail = (s: string) => s.slice(s.lastIndexOf("/") + 1);
  return a === b || tail(a) === tail(b);
}

export async function describeService(
  session: Session,
  phase: Phase,
  cluster: string,
  service: string,
): Promise<Service | undefined> {
  const out = await callAws(session, phase, "ecs:DescribeServices", (signal) =>
    session.aws.ecs.describeServices({ cluster, services: [service], include: ["TAGS"] }, signal),
  );
  return out.services?.find((s) => s.serviceName === service || s.serviceArn === service) ?? out.services?.[0];
}

/** The live service, which must exist, be ACTIVE, and be deployed by ECS itself. */
export async function requireActiveService(session: Session, target: Target): Promise<Service> {
  const service = await describeService(session, "preflight", target.cluster, target.service).catch((error) => {
    throw clusterNotFound(session, error, target) ?? error;
  });
  if (!service || service.status === "INACTIVE") {
    throw new CageError(
      "refused",
      "preflight",
      `Service '${target.service}' does not exist in cluster '${target.cluster}' (region ${target.region}).`,
      `Create it first with ${session.naming.command("up")}, or fix ${session.naming.input("cluster")} or ${session.naming.input("service")}.`,
    );
  }
  if (service.status !== "ACTIVE") {
    throw new CageError(
      "refused",
      "preflight",
      `Service '${target.service}' is ${service.status}, not ACTIVE.`,
      `A service being deleted cannot be rolled out; recreate it with ${session.naming.command("up")}.`,
    );
  }
  const refusal = refusalOf(target.service, classifyService(service));
  if (refusal) throw refusal;
  return service;
}

/** ECS finds a cluster only in the region (and account) it was made in; the error says which region was asked. */
function clusterNotFound(session: Session, error: unknown, target: Target): CageError | undefined {
  if (!(error instanceof CageError) || error.awsCode !== "ClusterNotFoundException") return undefined;
  const { input } = session.naming;
  return new CageError(
    "refused",
    "preflight",
    `Cluster '${target.cluster}' was not found in region ${target.region}.`,
    `Check ${input("cluster")} and ${input("region")}: ECS finds a cluster only in the region and account it was created in.`,
    { cause: error.cause, awsCode: error.awsCode },
  );
}

/** Why the service cannot take a new deployment now, or undefined when it can. */
export function busyReason(service: Service): string | undefined {
  const deployments = service.deployments ?? [];
  if (deployments.length > 1) {
    const list = deployments.map((d) => `${d.id} (${d.status} ${d.rolloutState ?? ""})`.trim()).join(", ");
    return `a deployment is in progress: ${list}`;
  }
  const primary = deployments[0];
  if (primary?.rolloutState === "IN_PROGRESS") return `deployment ${primary.id} is IN_PROGRESS`;
  return undefined;
}

export interface BusyCheck {
  target: Target;
  families: string[];
  /** This run's startedBy: its own canaries are not "another run's". */
  startedBy: string;
  waitIfBusy: boolean;
  timeout: number;
}

/**
 * Refuses (or, with wait-if-busy, waits) while the service is mid-deployment or another run's canary is live.
 * Returns the service as last described.
 */
export async function awaitQuietService(session: Session, check: BusyCheck, first: Service): Promise<Service> {
  let service = first;
  let looked = false;
  const look = async (): Promise<Poll<Service>> => {
    const busy =
      busyReason(service) ??
      (isNative(classifyService(service)) ? await nativeBusyReason(session, check.target) : undefined);
    const others = busy
      ? []
      : (
          await findCanaries(session, "preflight", {
            cluster: check.target.cluster,
            service: check.target.service,
            families: check.families,
          })
        ).filter((task) => task.startedBy !== check.startedBy);
    const reason =
      busy ??
      (others.length > 0
        ? `a canary of another run is live: ${others.map((t) => `${t.taskArn} (startedBy ${t.startedBy ?? "?"})`).join(", ")}`
        : undefined);
    if (!reason) return { done: true, value: service };
    if (!check.waitIfBusy) {
      throw new CageError(
        "refused",
        "preflight",
        `Service '${check.target.service}' is busy: ${reason}.`,
        busy
          ? `Wait for that deployment to finish, or set ${session.naming.input("wait-if-busy")} to wait for it.`
          : `Let that run finish, or set ${session.naming.input("wait-if-busy")}. If that run is dead, remove its canary with ${session.naming.command("cleanup")} and run again.`,
      );
    }
    return { done: false, seen: reason };
  };
  return waitFor(session, {
    phase: "preflight",
    waitingFor: `service '${check.target.service}' to be free of other deployments and canaries`,
    timeout: check.timeout,
    setBy: "deployment",
    interval: () => 10_000,
    check: async () => {
      if (looked) service = await requireActiveService(session, check.target);
      looked = true;
      return look();
    },
  });
}

export interface Prepared {
  live: Service;
  source: LaunchSource;
  instance?: ContainerInstance;
  groups: Map<string, TargetGroupInfo>;
  /** The canary soak, when there is one. */
  soak?: SoakPlan;
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

/** The rollout's checks before anything changes, read calls only (a dry run stops after them). */
export async function preflight(
  session: Session,
  settings: RolloutSettings,
): Promise<Omit<Prepared, "taskDefinition">> {
  noticeDisagreements(session, settings, settings.context);
  const first = await requireActiveService(session, settings);
  noticeOtherAccounts(session, settings.context, first.serviceArn);
  const file = settings.context?.service;
  if (settings.updateService && !file) {
    throw new CageError(
      "refused",
      "preflight",
      `${session.naming.input("update-service")} is set but the deploy context has no service.json to take the service's settings from.`,
      `Add service.json to the deploy context, or unset ${session.naming.input("update-service")}.`,
    );
  }
  const source: LaunchSource = settings.updateService && file ? file : first;
  if (settings.updateService) {
    session.emit({
      type: "notice",
      level: "info",
      message: `${session.naming.input("update-service")} is set: the canary is launched with service.json's network, capacity and load balancer settings.`,
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
        `${session.naming.input("canary-instance-arn")} is set, but service '${settings.service}' runs on Fargate, where tasks cannot be placed on an instance.`,
        `Remove ${session.naming.input("canary-instance-arn")} for Fargate services.`,
      );
    }
    instance = await resolveContainerInstance(session, settings.cluster, settings.canaryInstanceArn);
  }
  const groups = await readTargetGroups(session, "preflight", [
    ...targetGroupEntries(source.loadBalancers).map((lb) => lb.targetGroupArn),
    ...alternateGroupsOf(first),
  ]);
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
  const soak = soakPlan(settings.soak, settings.region, live);
  await refuseFiringAlarms(session, soak);
  await tryMetricChecks(session, soak?.metrics);
  const launch = settings.updateService && file ? file : live;
  // The canary goes where production traffic is now; the update never sends loadBalancers on these strategies.
  const native = isNative(classifyService(live));
  return {
    live,
    source: native ? { ...launch, loadBalancers: await resolveProductionLoadBalancers(session, live) } : launch,
    ...(instance ? { instance } : {}),
    groups,
    ...(soak ? { soak } : {}),
  };
}

function requireMatchingPorts(source: LaunchSource, containers: Parameters<typeof portMismatches>[1]): void {
  const problems = portMismatches(source.loadBalancers, containers);
  if (problems.length > 0) {
    throw new CageError(
      "refused",
      "preflight",
      `The new task definition does not fit the service's load balancers: ${problems.join("; ")}.`,
      "Fix the containerName/containerPort of the load balancer entries or the container's portMappings.",
    );
  }
}
