/**
 * A second, minimal canary rollout for the benchmark only, run under one of two polling schedules:
 * - `IDEAL`: looks every 250 ms at no cost and acts at once (deregisters the canary while the deployment runs);
 *   its wall time is the physical minimum the world allows, to within the poll period per wait.
 * - `CANARYCAGE`: canarycage's schedule (canarycage-spec.md §3-4): 2 s sleep before the TasksRunning waiter,
 *   SDK waiter backoff (first attempt at once, then 6 s or 15 s doubling up to 120 s; the jitter is taken at its
 *   mean so runs repeat), 15 s container and target health polls (the first 15 s in, 5 bad target polls to fail,
 *   UNHEALTHY containers never fail fast), at least 15 s idle, ServicesStable, and the canary deregistered only
 *   once the service is stable.
 */
import type { Task } from "@aws-sdk/client-ecs";
import type { AwsPorts } from "../src/aws/ports.js";
import type { RolloutSettings } from "../src/engine/settings.js";
import { eniOf, hostPortOf } from "../src/engine/task-state.js";
import type { Clock } from "../src/shared/clock.js";

export interface Schedule {
  name: string;
  initialSleep: number;
  /** Delay after failed waiter attempt `n` (1-based), for a waiter with these bounds. */
  backoff: (n: number, min: number, max: number) => number;
  healthPoll: number;
  /** Bad target polls in a row that fail the canary. */
  unhealthyPolls: number;
  failOnUnhealthyContainer: boolean;
  containerHealthBudget: number;
  minIdle: number;
  deregisterAfterStable: boolean;
  /** Also watch the task while waiting for target health (canarycage only reads the target). */
  watchTask: boolean;
  /** Knows the deregistration delay and sleeps it before looking; a failed canary is stopped without draining. */
  knowsDrain: boolean;
}

/** The ideal schedule's poll period: each wait ends at most this late. */
export const POLL = 250;

export const IDEAL: Schedule = {
  name: "ideal",
  initialSleep: 0,
  backoff: () => POLL,
  healthPoll: POLL,
  unhealthyPolls: 1,
  failOnUnhealthyContainer: true,
  containerHealthBudget: 15 * 60_000,
  minIdle: 0,
  deregisterAfterStable: false,
  watchTask: true,
  knowsDrain: true,
};

/** aws-sdk-go-v2 waiter delays: min·2^(n-1) jittered uniformly in [min, that], capped at max; here the mean. */
function sdkBackoff(n: number, min: number, max: number): number {
  const top = Math.min(min * 2 ** (n - 1), max);
  return (min + top) / 2;
}

export const CANARYCAGE: Schedule = {
  name: "canarycage",
  initialSleep: 2_000,
  backoff: sdkBackoff,
  healthPoll: 15_000,
  unhealthyPolls: 5,
  failOnUnhealthyContainer: false,
  containerHealthBudget: 15 * 60_000,
  minIdle: 15_000,
  deregisterAfterStable: true,
  watchTask: false,
  knowsDrain: false,
};

export interface ScheduleRun {
  result: "succeeded" | "failed";
  start: number;
  /** When the schedule decided the canary failed. */
  failedAt?: number;
  end: number;
}

class Failed extends Error {}

interface Ctx {
  aws: AwsPorts;
  clock: Clock;
  s: Schedule;
  cluster: string;
}

/** Virtual time after which a schedule gives up: a benchmark must never hang. */
const GIVE_UP = 2 * 3600_000;

async function waiter<T>(ctx: Ctx, min: number, max: number, check: () => Promise<T | undefined>): Promise<T> {
  const start = ctx.clock.now();
  for (let n = 1; ; n += 1) {
    const value = await check();
    if (value !== undefined) return value;
    if (ctx.clock.now() - start > GIVE_UP) throw new Error(`bench: ${ctx.s.name} waited over 2 h`);
    await ctx.clock.sleep(ctx.s.backoff(n, min, max));
  }
}

/** canarycage waits for STOPPED; the ideal schedule takes ECS's decision to stop the task as the failure. */
const gone = (ctx: Ctx, task: Task) =>
  task.lastStatus === "STOPPED" || (ctx.s.watchTask && task.desiredStatus === "STOPPED");

async function describe(ctx: Ctx, taskArn: string): Promise<Task> {
  const out = await ctx.aws.ecs.describeTasks({ cluster: ctx.cluster, tasks: [taskArn] });
  return out.tasks?.[0] ?? {};
}

/** Runs one rollout of `settings` (context and optional canary instance) under `schedule`. */
export async function rolloutWith(
  schedule: Schedule,
  settings: RolloutSettings,
  aws: AwsPorts,
  clock: Clock,
): Promise<ScheduleRun> {
  const ctx: Ctx = { aws, clock, s: schedule, cluster: settings.cluster };
  const start = clock.now();
  const svc = (await aws.ecs.describeServices({ cluster: ctx.cluster, services: [settings.service] })).services?.[0];
  const td = settings.context?.taskDefinition;
  if (!svc || !td) throw new Error(`bench: no service ${settings.service} or no task definition`);
  const registered = await aws.ecs.registerTaskDefinition(td);
  const tdArn = registered.taskDefinition?.taskDefinitionArn ?? "";
  const withHealth = (registered.taskDefinition?.containerDefinitions ?? []).filter((c) => c.healthCheck);
  const group = `cage:canary-task:${settings.service}`;
  const launched = settings.canaryInstanceArn
    ? await aws.ecs.startTask({
        cluster: ctx.cluster,
        taskDefinition: tdArn,
        containerInstances: [await containerInstanceOf(ctx, settings.canaryInstanceArn)],
        group,
      })
    : await aws.ecs.runTask({
        cluster: ctx.cluster,
        taskDefinition: tdArn,
        group,
        launchType: svc.launchType,
        networkConfiguration: svc.networkConfiguration,
      });
  const taskArn = launched.tasks?.[0]?.taskArn ?? "";
  const targets: { tg: string; id: string; port: number }[] = [];
  try {
    await clock.sleep(schedule.initialSleep);
    let task = await waiter(ctx, 6_000, 120_000, async () => {
      const t = await describe(ctx, taskArn);
      if (gone(ctx, t)) throw new Failed(t.stoppedReason);
      return t.lastStatus === "RUNNING" ? t : undefined;
    });
    if (withHealth.length > 0) task = await containerHealth(ctx, taskArn, new Set(withHealth.map((c) => c.name!)));
    for (const lb of svc.loadBalancers ?? []) {
      const target = await targetOf(ctx, task, lb.containerName ?? "", lb.containerPort ?? 0, settings);
      await aws.elbv2.registerTargets({
        TargetGroupArn: lb.targetGroupArn,
        Targets: [{ Id: target.id, Port: target.port }],
      });
      targets.push({ tg: lb.targetGroupArn ?? "", ...target });
    }
    await Promise.all(targets.map((t) => targetHealthy(ctx, t, taskArn)));
    if (targets.length === 0) await idle(ctx, taskArn, settings.canaryTaskIdleDuration);
  } catch (error) {
    if (!(error instanceof Failed)) throw error;
    const failedAt = clock.now();
    await release(ctx, taskArn, targets, !schedule.knowsDrain);
    return { result: "failed", start, failedAt, end: clock.now() };
  }
  await aws.ecs.updateService({ cluster: ctx.cluster, service: settings.service, taskDefinition: tdArn });
  if (schedule.deregisterAfterStable) {
    await servicesStable(ctx, settings.service);
    await release(ctx, taskArn, targets, true);
  } else {
    await Promise.all([rolloutCompleted(ctx, settings.service, tdArn), release(ctx, taskArn, targets, true)]);
  }
  return { result: "succeeded", start, end: clock.now() };
}

/** StartTask takes a container instance; `cage` also accepts the EC2 instance id. */
async function containerInstanceOf(ctx: Ctx, instance: string): Promise<string> {
  if (!instance.startsWith("i-")) return instance;
  const listed = await ctx.aws.ecs.listContainerInstances({ cluster: ctx.cluster });
  const out = await ctx.aws.ecs.describeContainerInstances({
    cluster: ctx.cluster,
    containerInstances: listed.containerInstanceArns ?? [],
  });
  return out.containerInstances?.find((ci) => ci.ec2InstanceId === instance)?.containerInstanceArn ?? instance;
}

async function containerHealth(ctx: Ctx, taskArn: string, waiting: Set<string>): Promise<Task> {
  const first = ctx.s === IDEAL ? 0 : ctx.s.healthPoll;
  await ctx.clock.sleep(first);
  for (let spent = 0; ; spent += ctx.s.healthPoll) {
    const task = await describe(ctx, taskArn);
    if (task.lastStatus !== "RUNNING" || gone(ctx, task)) throw new Failed(task.stoppedReason);
    for (const c of task.containers ?? []) {
      if (c.healthStatus === "HEALTHY") waiting.delete(c.name ?? "");
      else if (c.healthStatus === "UNHEALTHY" && ctx.s.failOnUnhealthyContainer) throw new Failed("UNHEALTHY");
    }
    if (waiting.size === 0) return task;
    if (spent >= ctx.s.containerHealthBudget) throw new Failed("container health budget");
    await ctx.clock.sleep(ctx.s.healthPoll);
  }
}

async function targetOf(ctx: Ctx, task: Task, container: string, port: number, settings: RolloutSettings) {
  if (!settings.canaryInstanceArn) return { id: eniOf(task).ip ?? "", port };
  const out = await ctx.aws.ecs.describeContainerInstances({
    cluster: ctx.cluster,
    containerInstances: [task.containerInstanceArn ?? ""],
  });
  return { id: out.containerInstances?.[0]?.ec2InstanceId ?? "", port: hostPortOf(task, container, port) ?? 0 };
}

async function targetHealthy(ctx: Ctx, t: { tg: string; id: string; port: number }, taskArn: string) {
  let bad = 0;
  const start = ctx.clock.now();
  await ctx.clock.sleep(ctx.s.healthPoll);
  for (;;) {
    const out = await ctx.aws.elbv2.describeTargetHealth({
      TargetGroupArn: t.tg,
      Targets: [{ Id: t.id, Port: t.port }],
    });
    const state = out.TargetHealthDescriptions?.[0]?.TargetHealth?.State;
    if (state === "healthy") return;
    if (ctx.s.watchTask) {
      const task = await describe(ctx, taskArn);
      if (gone(ctx, task)) throw new Failed(task.stoppedReason);
    }
    if (state !== "initial") bad += 1;
    if (bad >= ctx.s.unhealthyPolls) throw new Failed(`target ${state}`);
    if (ctx.clock.now() - start > GIVE_UP) throw new Error(`bench: target ${t.id} stayed ${state}`);
    await ctx.clock.sleep(ctx.s.healthPoll);
  }
}

async function idle(ctx: Ctx, taskArn: string, duration: number): Promise<void> {
  await ctx.clock.sleep(Math.max(duration, ctx.s.minIdle));
  const task = await describe(ctx, taskArn);
  if (task.lastStatus !== "RUNNING") throw new Failed(task.stoppedReason);
}

/** Deregisters the canary, waits for it to drain, stops it and waits until it is STOPPED. */
async function release(ctx: Ctx, taskArn: string, targets: { tg: string; id: string; port: number }[], drain: boolean) {
  await Promise.all(
    targets.map(async (t) => {
      const Targets = [{ Id: t.id, Port: t.port }];
      await ctx.aws.elbv2.deregisterTargets({ TargetGroupArn: t.tg, Targets });
      if (!drain) return;
      if (ctx.s.knowsDrain) await ctx.clock.sleep(await drainDelay(ctx, t.tg));
      await waiter(ctx, 15_000, 120_000, async () => {
        const out = await ctx.aws.elbv2.describeTargetHealth({ TargetGroupArn: t.tg, Targets });
        const state = out.TargetHealthDescriptions?.[0]?.TargetHealth?.State;
        return state === undefined || state === "unused" ? true : undefined;
      });
    }),
  );
  await ctx.aws.ecs.stopTask({ cluster: ctx.cluster, task: taskArn });
  await waiter(ctx, 6_000, 120_000, async () =>
    (await describe(ctx, taskArn)).lastStatus === "STOPPED" ? true : undefined,
  );
}

async function drainDelay(ctx: Ctx, tg: string): Promise<number> {
  const out = await ctx.aws.elbv2.describeTargetGroupAttributes({ TargetGroupArn: tg });
  const delay = out.Attributes?.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
  return Number(delay ?? "300") * 1000;
}

async function servicesStable(ctx: Ctx, service: string): Promise<void> {
  await waiter(ctx, 15_000, 120_000, async () => {
    const svc = (await ctx.aws.ecs.describeServices({ cluster: ctx.cluster, services: [service] })).services?.[0];
    return svc?.deployments?.length === 1 && svc.runningCount === svc.desiredCount ? true : undefined;
  });
}

async function rolloutCompleted(ctx: Ctx, service: string, tdArn: string): Promise<void> {
  await waiter(ctx, POLL, POLL, async () => {
    const svc = (await ctx.aws.ecs.describeServices({ cluster: ctx.cluster, services: [service] })).services?.[0];
    const deployment = svc?.deployments?.find((d) => d.taskDefinition === tdArn);
    if (deployment?.rolloutState === "FAILED")
      throw new Error(`bench: the deployment failed: ${deployment.rolloutStateReason}`);
    return deployment?.rolloutState === "COMPLETED" ? true : undefined;
  });
}
