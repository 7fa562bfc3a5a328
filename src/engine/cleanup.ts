/**
 * `cage cleanup` and the action's post step: finds leftover canaries of a service (by group and startedBy, and by
 * what the main step recorded), deregisters them from every target group and stops them; with a run id or a
 * recorded `run` task, also stops that run's one-off tasks.
 */
import type { Task } from "@aws-sdk/client-ecs";
import type { Canary, Registration } from "./canary.js";
import { findCanaries, tasksOfRun } from "./canary-finder.js";
import { type ReleaseOutcome, releaseCanary } from "./canary-release.js";
import { ec2InstanceOf } from "./container-instance.js";
import { canaryGroup, RUN_TASK_GROUP, startedByFor } from "./labels.js";
import { callAws } from "./polling.js";
import { describeService } from "./preflight.js";
import { alternateGroupsOf } from "./production-target.js";
import { recordedCanaries } from "./recorded.js";
import { concludeWith, ServiceChange, type Verdict } from "./service-change.js";
import { errorText, openSession, type Session } from "./session.js";
import type { CleanupSettings, CommandResult, EngineDeps } from "./settings.js";
import { readTargetGroups } from "./target-health.js";
import { type TargetGroupInfo, targetGroupEntries } from "./targets.js";
import { eniOf } from "./task-state.js";
import { describeTasks } from "./task-watch.js";

export async function cleanup(settings: CleanupSettings, deps: EngineDeps): Promise<CommandResult> {
  const session = openSession(deps, settings.timeouts.overall);
  let result: Verdict;
  try {
    result = await cleanUp(session, settings);
  } catch (error) {
    result = {
      result: "failed",
      message: `Cleanup of service '${settings.service}' failed: ${errorText(error)} A canary may still be running: run ${session.naming.command("cleanup")} again, or stop tasks of group '${canaryGroup(settings.service)}' in the ECS console.`,
    };
  }
  // Cleanup removes canaries and one-off tasks; the service stays as it is.
  return concludeWith(session, settings, new ServiceChange(), result);
}

async function cleanUp(session: Session, settings: CleanupSettings): Promise<Verdict> {
  // One listing of the run's tasks serves both its canary and its `run` task.
  const ofRun = settings.runId
    ? await tasksOfRun(session, "cleanup", settings.cluster, startedByFor(settings.runId))
    : undefined;
  const { leftovers, groups } = await leftoverCanaries(session, settings, ofRun);
  const runTasks = await leftoverRunTasks(session, settings, ofRun);
  if (leftovers.length === 0 && runTasks.length === 0) {
    return {
      result: "succeeded",
      message: `Nothing to clean up: no canary of service '${settings.service}' is left.`,
    };
  }
  const outcomes: { taskArn: string; outcome: ReleaseOutcome }[] = [];
  for (const canary of leftovers) {
    const outcome = await releaseCanary(session, canary, {
      drain: settings.drain,
      stopTimeout: settings.timeouts.taskStopped,
      groups,
      reason: "cage cleanup: leftover canary",
    });
    outcomes.push({ taskArn: canary.taskArn, outcome });
  }
  for (const taskArn of runTasks) {
    const task = {
      cluster: settings.cluster,
      service: settings.service,
      taskArn,
      registrations: [],
      stopRequested: false,
    };
    const outcome = await releaseCanary(session, task, {
      drain: false,
      stopTimeout: settings.timeouts.taskStopped,
      groups,
      reason: "cage cleanup: its run was canceled",
      noun: "task",
    });
    outcomes.push({ taskArn, outcome });
  }
  const failed = outcomes.filter((o) => !o.outcome.ok);
  const names = outcomes.map((o) => o.taskArn).join(", ");
  if (failed.length === 0) {
    const what = runTasks.length === 0 ? "canary task(s)" : "task(s)";
    return {
      result: "succeeded",
      message: `Cleaned up ${outcomes.length} ${what} of service '${settings.service}': ${names} (deregistered from every target group and stopped).`,
    };
  }
  return {
    result: "failed",
    message: `Cleanup of service '${settings.service}' left problems: ${failed.flatMap((f) => f.outcome.problems).join("; ")}. Run ${session.naming.command("cleanup")} again, or finish in the ECS and EC2 consoles.`,
  };
}

/** Canaries found by group (and run) or recorded by the main step, still running or still registered. */
async function leftoverCanaries(
  session: Session,
  settings: CleanupSettings,
  ofRun: Task[] | undefined,
): Promise<{ leftovers: Canary[]; groups: ReadonlyMap<string, TargetGroupInfo> }> {
  const recorded = recordedCanaries(settings.recorded ?? []).filter(
    (c) => !c.cluster || c.cluster === settings.cluster,
  );
  const found =
    ofRun?.filter((t) => t.group === canaryGroup(settings.service)) ??
    (await findCanaries(session, "cleanup", { cluster: settings.cluster, service: settings.service }));
  const live = new Map<string, Task>(found.map((t) => [t.taskArn ?? "", t]));
  const recordedArns = recorded.map((c) => c.taskArn).filter((arn) => !live.has(arn));
  for (const task of await describeTasks(session, "cleanup", settings.cluster, recordedArns)) {
    if (task.taskArn) live.set(task.taskArn, task);
  }
  const candidates = new Set([...live.keys(), ...recorded.map((c) => c.taskArn)]);
  candidates.delete("");
  if (candidates.size === 0) return { leftovers: [], groups: new Map() };
  const service = await describeService(session, "cleanup", settings.cluster, settings.service).catch(() => undefined);
  // A blue/green service's canary may be in either group of its pair.
  const serviceGroups = [
    ...targetGroupEntries(service?.loadBalancers).map((lb) => lb.targetGroupArn),
    ...(service ? alternateGroupsOf(service) : []),
  ];
  const recordedGroups = recorded.flatMap((c) => c.registrations.map((r) => r.targetGroupArn));
  const groups = await readTargetGroups(session, "cleanup", [...serviceGroups, ...recordedGroups]).catch(
    () => new Map<string, TargetGroupInfo>(),
  );
  const leftovers: Canary[] = [];
  for (const taskArn of candidates) {
    const task = live.get(taskArn);
    const alive = task !== undefined && task.lastStatus !== "STOPPED";
    let registrations = recorded.find((c) => c.taskArn === taskArn)?.registrations ?? [];
    if (registrations.length === 0 && task && alive) {
      registrations = await discoverRegistrations(session, settings.cluster, task, serviceGroups);
    } else if (!alive) {
      registrations = await stillRegistered(session, registrations);
    }
    // A canary the main step already stopped and deregistered is not a leftover.
    if (!alive && registrations.length === 0) continue;
    leftovers.push({
      cluster: settings.cluster,
      service: settings.service,
      taskArn,
      registrations,
      stopRequested: !alive,
    });
  }
  return { leftovers, groups };
}

/** One-off tasks (`run`) of this run, recorded by the main step or found by startedBy, not yet stopped. */
async function leftoverRunTasks(
  session: Session,
  settings: CleanupSettings,
  ofRun: Task[] | undefined,
): Promise<string[]> {
  const recorded = (settings.recorded ?? []).flatMap((e) =>
    e.type === "resource" && e.kind === "run-task" ? [e.id] : [],
  );
  const found = (ofRun ?? []).filter((t) => t.group === RUN_TASK_GROUP);
  const arns = new Set(found.map((t) => t.taskArn ?? ""));
  const unseen = recorded.filter((arn) => !arns.has(arn));
  for (const task of await describeTasks(session, "cleanup", settings.cluster, unseen)) {
    if (task.lastStatus !== "STOPPED") arns.add(task.taskArn ?? "");
  }
  arns.delete("");
  return [...arns];
}

/** The recorded targets still registered (not draining, not gone). */
async function stillRegistered(session: Session, registrations: Registration[]): Promise<Registration[]> {
  const left: Registration[] = [];
  for (const r of registrations) {
    try {
      const out = await callAws(session, "cleanup", "elasticloadbalancing:DescribeTargetHealth", (signal) =>
        session.aws.elbv2.describeTargetHealth(
          { TargetGroupArn: r.targetGroupArn, Targets: [{ Id: r.id, Port: r.port }] },
          signal,
        ),
      );
      const state = out.TargetHealthDescriptions?.[0]?.TargetHealth?.State ?? "unused";
      if (state !== "unused" && state !== "draining") left.push({ ...r, lastState: state });
    } catch {
      // Unknown is not gone: try to deregister it.
      left.push(r);
    }
  }
  return left;
}

/** Finds the task among the targets of the service's target groups: its ENI IP, or its instance and host ports. */
async function discoverRegistrations(
  session: Session,
  cluster: string,
  task: Task,
  groupArns: string[],
): Promise<Registration[]> {
  if (groupArns.length === 0) return [];
  const { ip } = eniOf(task);
  const instance =
    !ip && task.containerInstanceArn
      ? await ec2InstanceOf(session, cluster, task.containerInstanceArn).catch(() => undefined)
      : undefined;
  const hostPorts = new Set((task.containers ?? []).flatMap((c) => (c.networkBindings ?? []).map((b) => b.hostPort)));
  const found: Registration[] = [];
  for (const targetGroupArn of new Set(groupArns)) {
    const out = await callAws(session, "cleanup", "elasticloadbalancing:DescribeTargetHealth", (signal) =>
      session.aws.elbv2.describeTargetHealth({ TargetGroupArn: targetGroupArn }, signal),
    ).catch(() => undefined);
    for (const d of out?.TargetHealthDescriptions ?? []) {
      const id = d.Target?.Id;
      const port = d.Target?.Port;
      if (!id || port === undefined) continue;
      const mine = ip ? id === ip : id === instance && hostPorts.has(port);
      if (mine)
        found.push({ targetGroupArn, id, port, ...(d.TargetHealth?.State ? { lastState: d.TargetHealth.State } : {}) });
    }
  }
  return found;
}
