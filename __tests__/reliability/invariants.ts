/**
 * The five invariants of issue 8, checked after a command from the simulator's state and call journal, a sixth
 * of issue 15 over what it printed, and the four of issue 13 for native deployments (native-invariants.ts). Each check returns what it found wrong; an empty list means the invariant held.
 */
import type { Service, Task } from "@aws-sdk/client-ecs";
import { vi } from "vitest";
import * as stepLog from "../../src/action/log.js";
import { announce } from "../../src/action/publish.js";
import { lineWriter } from "../../src/cli/io.js";
import { logLine } from "../../src/cli/log.js";
import type { CommandResult } from "../../src/engine/settings.js";
import type { CallRecord } from "../../src/sim/journal.js";
import { actingParts } from "../action/runner-log.js";
import { type Run, type ServiceSnapshot, snapshotService } from "./harness.js";
import { nativeInvariants } from "./native-invariants.js";
import { type Told, toldMatchesWorld } from "./reported.js";
import { tally } from "./tally.js";

export interface Expectation {
  /** The service's fields before the command (invariant 2). */
  before: ServiceSnapshot;
  cluster?: string;
  service?: string;
  /** The caller could not see the service before (another process ran the command): skip invariant 2. */
  skipServiceCheck?: boolean;
  /** What the user was told comes from this command and context; false when the result is a stand-in (a kill). */
  told?: Told | false;
  /** The rollout's wait-until, for invariant 10 (deployed unless told). */
  waitUntil?: "deployed" | "traffic-shifted" | "paused";
}

const CANARY_GROUP = /^cage:canary-task:/;
/** Longer than any deregistration delay and stop timeout: what is still there after this is there forever. */
const SETTLE_MS = 60 * 60_000;

export async function checkInvariants(s: Run, result: CommandResult, expect: Expectation): Promise<string[]> {
  const calls = s.sim.journal.calls();
  s.sim.faults.clear();
  const cluster = expect.cluster ?? "production";
  const service = expect.service ?? "web";
  const aws = s.sim.ports("us-east-1", { maxAttempts: 1 });
  const svc = (await aws.ecs.describeServices({ cluster, services: [service] })).services?.[0];
  const told =
    expect.told === false
      ? []
      : toldMatchesWorld(s, result, calls, svc, expect.before, { ...expect.told, cluster, service });
  // Read before nothingLeftBehind lets an hour pass: what the command left, as it ended.
  const native = await nativeInvariants(aws, calls, result, {
    command: expect.told === false ? "post" : (expect.told?.command ?? "rollout"),
    cluster,
    service,
    told: expect.told !== false,
    ...(expect.waitUntil ? { waitUntil: expect.waitUntil } : {}),
  });
  const problems = [
    ...native,
    ...(expect.skipServiceCheck ? [] : await serviceOnlyAfterCanary(s, calls, result, expect, cluster)),
    ...successMeansCompleted(result, svc),
    ...resultMatchesJournal(result, calls),
    ...told,
    ...(await nothingLeftBehind(s, calls, cluster)),
    ...printedIsInert(s, result),
  ];
  tally.invariants(9, problems.length);
  return problems;
}

/**
 * Invariant 6: the command's log, as the CLI prints it and as the action writes it (groups, lines, the verdict
 * annotation), holds no line the runner would take as a command but those the action issued, and no control
 * character.
 */
export function printedIsInert(s: Run, result: CommandResult): string[] {
  const events = s.stamped.map((e) => e.event);
  const start = events[0]?.at ?? 0;
  let cli = "";
  const print = lineWriter({ write: (text: string) => (cli += text) });
  for (const event of events) print(logLine(event, start));
  const action = actionLog(() => {
    const log = new stepLog.GroupedLog();
    for (const event of events) log.write(event);
    log.close();
    announce(result.result, "cage rollout", result.message);
  });
  const groups = events.filter((e) => e.type === "phase-started").length;
  const warnings = events.filter((e) => e.type === "notice" && e.level === "warning").length;
  return [
    ...actingParts(cli).map((p) => `CLI log: ${p}`),
    ...actingParts(action, { group: groups, endgroup: groups, warning: warnings, error: 1, notice: 1 }).map(
      (p) => `action log: ${p}`,
    ),
  ];
}

/** What `write` sends to stdout, where @actions/core writes; the exit code it sets is put back. */
export function actionLog(write: () => void): string {
  let out = "";
  const exitCode = process.exitCode;
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
    process.exitCode = exitCode;
  }
  return out;
}

/** Invariant 5: an invalid input makes no mutating call. */
export function noMutation(s: Run): string[] {
  const made = s.sim.journal.mutations().map((c) => c.operation);
  tally.invariants(1, made.length > 0 ? 1 : 0);
  return made.length > 0 ? [`mutating calls on invalid input: ${made.join(", ")}`] : [];
}

/** Invariant 1: every canary stop requested by the time the command returns, and nothing left once time passes. */
async function nothingLeftBehind(s: Run, calls: CallRecord[], cluster: string): Promise<string[]> {
  const problems: string[] = [];
  const aws = s.sim.ports("us-east-1", { maxAttempts: 1 });
  const canaries = async (): Promise<Task[]> => {
    const listed = await aws.ecs.listTasks({ cluster });
    const stopped = await aws.ecs.listTasks({ cluster, desiredStatus: "STOPPED" });
    const all = [...(listed.taskArns ?? []), ...(stopped.taskArns ?? [])];
    if (all.length === 0) return [];
    const tasks: Task[] = [];
    for (let i = 0; i < all.length; i += 100) {
      const out = await aws.ecs.describeTasks({ cluster, tasks: all.slice(i, i + 100) });
      tasks.push(...(out.tasks ?? []));
    }
    return tasks.filter((t) => CANARY_GROUP.test(t.group ?? ""));
  };
  for (const task of await canaries()) {
    if (task.desiredStatus !== "STOPPED") problems.push(`canary ${task.taskArn} was not asked to stop`);
  }
  const registered = calls
    .filter((c) => c.operation === "RegisterTargets" && c.status === 200)
    .flatMap((c) => {
      const p = c.params as { TargetGroupArn: string; Targets: { Id: string; Port?: number }[] };
      return p.Targets.map((t) => ({ tg: p.TargetGroupArn, id: t.Id, port: t.Port }));
    });
  await s.sim.clock.advance(SETTLE_MS);
  for (const task of await canaries()) {
    if (task.lastStatus !== "STOPPED") problems.push(`canary ${task.taskArn} still ${task.lastStatus} an hour later`);
  }
  for (const target of registered) {
    const health = await aws.elbv2.describeTargetHealth({ TargetGroupArn: target.tg }).catch(() => undefined);
    const left = health?.TargetHealthDescriptions?.find(
      (d) => d.Target?.Id === target.id && (target.port === undefined || d.Target?.Port === target.port),
    );
    if (left) {
      problems.push(`canary target ${target.id}:${target.port} still ${left.TargetHealth?.State} in ${target.tg}`);
    }
  }
  return problems;
}

/** Invariant 2: UpdateService only after the canary passed; otherwise the service is exactly as before. */
async function serviceOnlyAfterCanary(
  s: Run,
  calls: CallRecord[],
  result: CommandResult,
  expect: Expectation,
  cluster: string,
): Promise<string[]> {
  const problems: string[] = [];
  const passed = s.stamped.find((e) => e.event.type === "notice" && /^Canary .* passed/.test(e.event.message));
  const updates = calls.filter((c) => c.operation === "UpdateService" && c.status === 200);
  const first = updates[0];
  if (first && (!passed || first.seq <= passed.calls)) {
    problems.push(`UpdateService (call ${first.seq}) before the canary passed`);
  }
  if (!result.serviceChanged) {
    const after = await snapshotService(s, cluster, expect.service ?? "web");
    for (const key of new Set([...Object.keys(expect.before), ...Object.keys(after)])) {
      if (JSON.stringify(expect.before[key]) !== JSON.stringify(after[key])) {
        problems.push(`service field ${key} changed although the service was reported unchanged`);
      }
    }
  }
  return problems;
}

/** Invariant 3: "succeeded" only with the created deployment COMPLETED; a rollback is never a success. */
function successMeansCompleted(result: CommandResult, svc: Service | undefined): string[] {
  if (result.result === "rolled-back" && svc?.taskDefinition === result.taskDefinitionArn) {
    return [`rolled back, but the service still runs ${svc?.taskDefinition}`];
  }
  if (result.result !== "succeeded" || !result.serviceChanged) return [];
  const created = svc?.deployments?.find((d) => d.id === result.deploymentId);
  const problems: string[] = [];
  if (!created) problems.push(`succeeded, but deployment ${result.deploymentId} is not the service's`);
  else if (created.status !== "PRIMARY" || created.rolloutState !== "COMPLETED") {
    problems.push(`succeeded, but deployment ${created.id} is ${created.status}/${created.rolloutState}`);
  }
  if (svc?.taskDefinition !== result.taskDefinitionArn) {
    problems.push(`succeeded, but the service runs ${svc?.taskDefinition}, not ${result.taskDefinitionArn}`);
  }
  return problems;
}

/** Invariant 4, first half: the result's claims agree with the journal (the second half is in reported.ts). */
function resultMatchesJournal(result: CommandResult, calls: CallRecord[]): string[] {
  const changed = calls.some(
    (c) => (c.operation === "UpdateService" || c.operation === "CreateService") && c.status === 200,
  );
  const problems: string[] = [];
  if (result.serviceChanged === "unknown") {
    // Unknown is honest only while the change itself had not answered.
    const inFlight = result.unsettled?.some((u) => /:(UpdateService|CreateService)$/.test(u.operation));
    if (!inFlight) problems.push("serviceChanged is unknown, but no service change was left unanswered");
  } else if (changed !== result.serviceChanged) {
    problems.push(`serviceChanged is ${result.serviceChanged} but the journal says ${changed}`);
  }
  if (result.result === "succeeded" && /roll(ed)? ?back/i.test(result.message.split("\n")[0] ?? "")) {
    problems.push(`a rollback reported as success: ${result.message}`);
  }
  return problems;
}
