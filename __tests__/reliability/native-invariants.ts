/**
 * The four invariants of issue 13 for services ECS deploys natively, checked after a command from what the
 * simulator shows through its API and from its call journal. Each returns what it found wrong; empty means it held.
 */
import type { Service, ServiceDeployment } from "@aws-sdk/client-ecs";
import type { AwsPorts } from "../../src/aws/ports.js";
import { exitCodeOf } from "../../src/cli/commands/deploy.js";
import type { CommandResult } from "../../src/engine/settings.js";
import type { CallRecord } from "../../src/sim/journal.js";

/** The command whose calls the journal holds; "post" is the action's post step (and `cage cleanup`). */
export type CommandName = "rollout" | "continue" | "rollback" | "cleanup" | "post" | "up" | "run";

const NATIVE = new Set(["BLUE_GREEN", "LINEAR", "CANARY"]);
const ENDED = new Set(["SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "STOPPED"]);

/** Every service deployment of the service, oldest first, as DescribeServiceDeployments gives them. */
export async function deploymentsOf(aws: AwsPorts, cluster: string, service: string): Promise<ServiceDeployment[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws.ecs.listServiceDeployments({ cluster, service, ...(nextToken ? { nextToken } : {}) });
    arns.push(
      ...(page.serviceDeployments ?? []).flatMap((d) => (d.serviceDeploymentArn ? [d.serviceDeploymentArn] : [])),
    );
    nextToken = page.nextToken;
  } while (nextToken);
  const out: ServiceDeployment[] = [];
  for (let i = 0; i < arns.length; i += 20) {
    const page = await aws.ecs.describeServiceDeployments({ serviceDeploymentArns: arns.slice(i, i + 20) });
    out.push(...(page.serviceDeployments ?? []));
  }
  return out.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

/** The targets the command registered: only a canary is ever registered by cage. */
function canaryTargets(calls: readonly CallRecord[]): { id: string; port?: number }[] {
  return calls
    .filter((c) => c.operation === "RegisterTargets")
    .flatMap((c) => (c.params as { Targets?: { Id: string; Port?: number }[] } | undefined)?.Targets ?? [])
    .map((t) => ({ id: t.Id, ...(t.Port !== undefined ? { port: t.Port } : {}) }));
}

/**
 * Invariant 7: no canary target is registered in any target group of the region (the alternate, idle group of a
 * blue/green service included) when the command has ended; one still draining is on its way out.
 */
export async function noCanaryInAnyGroup(aws: AwsPorts, calls: readonly CallRecord[]): Promise<string[]> {
  const canaries = canaryTargets(calls);
  if (canaries.length === 0) return [];
  const groups: string[] = [];
  let marker: string | undefined;
  do {
    const page = await aws.elbv2.describeTargetGroups(marker ? { Marker: marker } : {});
    groups.push(...(page.TargetGroups ?? []).flatMap((g) => (g.TargetGroupArn ? [g.TargetGroupArn] : [])));
    marker = page.NextMarker;
  } while (marker);
  const problems: string[] = [];
  for (const tg of groups) {
    const health = await aws.elbv2.describeTargetHealth({ TargetGroupArn: tg });
    for (const d of health.TargetHealthDescriptions ?? []) {
      const canary = canaries.some((c) => c.id === d.Target?.Id && (c.port === undefined || c.port === d.Target?.Port));
      if (canary && d.TargetHealth?.State !== "draining") {
        problems.push(`canary target ${d.Target?.Id}:${d.Target?.Port} is ${d.TargetHealth?.State} in ${tg}`);
      }
    }
  }
  return problems;
}

/** When a deployment stopped being in flight; undefined while it still is. */
function endOf(d: ServiceDeployment): number | undefined {
  if (!ENDED.has(d.status ?? "")) return undefined;
  return (d.finishedAt ?? d.stoppedAt ?? d.updatedAt)?.getTime();
}

/**
 * Invariant 8: no UpdateService of the service was answered while a native deployment of it was in flight, by the
 * world's own timeline of its service deployments (created → finished or stopped).
 */
export function noUpdateDuringNativeDeployment(
  calls: readonly CallRecord[],
  deployments: readonly ServiceDeployment[],
  service: string,
): string[] {
  const problems: string[] = [];
  const updates = calls.filter(
    (c) =>
      c.operation === "UpdateService" && c.status === 200 && (c.params as { service?: string }).service === service,
  );
  for (const call of updates) {
    for (const d of deployments) {
      if (!NATIVE.has(d.deploymentConfiguration?.strategy ?? "ROLLING")) continue;
      const created = d.createdAt?.getTime() ?? Number.POSITIVE_INFINITY;
      const ended = endOf(d) ?? Number.POSITIVE_INFINITY;
      if (created < call.time && call.time < ended) {
        problems.push(
          `UpdateService (call ${call.seq}) sent while ${d.serviceDeploymentArn} was ${d.status ?? "in flight"}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Invariant 9: a PAUSE hook is continued (ContinueServiceDeployment with action CONTINUE, the default) only by the
 * `continue` command; rollout, its rollback on failure, a cancel, the post step and `rollback` never send one.
 */
export function continuedOnlyByContinue(calls: readonly CallRecord[], command: CommandName): string[] {
  if (command === "continue") return [];
  return calls
    .filter((c) => c.operation === "ContinueServiceDeployment")
    .filter((c) => ((c.params as { action?: string } | undefined)?.action ?? "CONTINUE") === "CONTINUE")
    .map((c) => `${command} sent ContinueServiceDeployment CONTINUE (call ${c.seq}, answered ${c.status})`);
}

/** What the world shows after the command: the service, and the service deployment the command followed. */
export interface NativeWorld {
  service: Service | undefined;
  deployment: ServiceDeployment | undefined;
  /** The task definitions of the deployment's target revision and of its first source revision. */
  target?: string;
  source?: string;
}

export async function nativeWorldOf(
  aws: AwsPorts,
  result: CommandResult,
  cluster: string,
  service: string,
): Promise<NativeWorld> {
  const svc = (await aws.ecs.describeServices({ cluster, services: [service] })).services?.[0];
  const arn = result.serviceDeploymentArn;
  if (!arn) return { service: svc, deployment: undefined };
  const deployment = (await aws.ecs.describeServiceDeployments({ serviceDeploymentArns: [arn] }))
    .serviceDeployments?.[0];
  const revisions = [deployment?.targetServiceRevision?.arn, deployment?.sourceServiceRevisions?.[0]?.arn];
  const wanted = revisions.filter((r): r is string => r !== undefined);
  const read = wanted.length
    ? ((await aws.ecs.describeServiceRevisions({ serviceRevisionArns: wanted })).serviceRevisions ?? [])
    : [];
  const td = (rev: string | undefined) => read.find((r) => r.serviceRevisionArn === rev)?.taskDefinition;
  return { service: svc, deployment, target: td(revisions[0]), source: td(revisions[1]) };
}

/**
 * Invariant 10: the command's result and exit status agree with the native deployment it followed, read back:
 * succeeded ⇔ SUCCESSFUL with the service on the new revision (for `rollback`: ROLLBACK_SUCCESSFUL, back on the
 * old one); rolled-back ⇔ ROLLBACK_SUCCESSFUL; paused ⇔ a hook AWAITING_ACTION. A cancel claims nothing.
 */
export function resultMatchesNativeWorld(
  result: CommandResult,
  command: CommandName,
  world: NativeWorld,
  opts: { waitUntil?: "deployed" | "traffic-shifted" | "paused" } = {},
): string[] {
  const d = world.deployment;
  const problems: string[] = [];
  const exit = exitCodeOf(result);
  const fine = result.result === "succeeded" || result.result === "paused";
  if ((exit === 0) !== fine) problems.push(`exit code ${exit} for a ${result.result} ${command}`);
  if (!d) {
    const claims = result.result === "paused" || result.result === "rolled-back";
    if (claims || (result.result === "succeeded" && result.serviceChanged === true && command !== "up")) {
      problems.push(`${result.result}, but no service deployment was followed`);
    }
    return problems;
  }
  if (!NATIVE.has(d.deploymentConfiguration?.strategy ?? "ROLLING")) return problems;
  const status = d.status ?? "?";
  const running = world.service?.taskDefinition;
  const awaiting = (d.lifecycleHookDetails ?? []).find((h) => h.status === "AWAITING_ACTION");
  const onNew = running !== undefined && running === (command === "rollout" ? result.taskDefinitionArn : world.target);
  const back = running !== undefined && running === world.source;
  const deployed = status === "SUCCESSFUL" && onNew;
  const shifted = opts.waitUntil === "traffic-shifted" && status === "IN_PROGRESS";
  const rolledBack = status === "ROLLBACK_SUCCESSFUL";
  const canceled = result.result === "canceled";
  switch (result.result) {
    case "succeeded":
      if (command === "rollback" ? !(rolledBack && back) : !(deployed || shifted)) {
        problems.push(`succeeded, but ${d.serviceDeploymentArn} is ${status} and the service runs ${running}`);
      }
      break;
    case "rolled-back":
      if (!rolledBack) problems.push(`rolled-back, but ${d.serviceDeploymentArn} is ${status}`);
      break;
    case "paused":
      if (status !== "IN_PROGRESS" || !awaiting)
        problems.push(`paused, but ${d.serviceDeploymentArn} is ${status} with no hook awaiting action`);
      else if (result.hookId !== awaiting.hookId)
        problems.push(`paused at hook ${result.hookId}, but ${awaiting.hookId} awaits action`);
      break;
  }
  if (!canceled && result.result !== "succeeded" && deployed && command !== "rollback") {
    problems.push(
      `${result.result}, but ${d.serviceDeploymentArn} is SUCCESSFUL and the service runs the new revision`,
    );
  }
  if (!canceled && rolledBack && result.result !== "rolled-back" && command !== "rollback") {
    problems.push(`${result.result}, but ${d.serviceDeploymentArn} is ROLLBACK_SUCCESSFUL`);
  }
  // A deadline that passed at a pause, with on-deployment-failure leave, fails and leaves it paused: said, not hidden.
  if (!canceled && awaiting && status === "IN_PROGRESS" && result.result !== "paused" && result.result !== "failed") {
    problems.push(`${result.result}, but hook ${awaiting.hookId} of ${d.serviceDeploymentArn} awaits action`);
  }
  return problems;
}

export interface NativeCheck {
  command: CommandName;
  cluster: string;
  service: string;
  waitUntil?: "deployed" | "traffic-shifted" | "paused";
  /** False when the result is a stand-in (a killed process told nothing): invariant 10 is skipped. */
  told?: boolean;
}

/** Invariants 7 to 10, read at once when the command ends (before any time passes). */
export async function nativeInvariants(
  aws: AwsPorts,
  calls: readonly CallRecord[],
  result: CommandResult,
  check: NativeCheck,
): Promise<string[]> {
  const deployments = await deploymentsOf(aws, check.cluster, check.service).catch(() => []);
  const world = check.told === false ? undefined : await nativeWorldOf(aws, result, check.cluster, check.service);
  return [
    ...(await noCanaryInAnyGroup(aws, calls)),
    ...noUpdateDuringNativeDeployment(calls, deployments, check.service),
    ...continuedOnlyByContinue(calls, check.command),
    ...(world ? resultMatchesNativeWorld(result, check.command, world, check) : []),
  ];
}
