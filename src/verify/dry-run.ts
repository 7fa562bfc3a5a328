/**
 * `--dry-run` / `dry-run`: the command's preflight and verify, then the plan: what would be registered, where the
 * canary would run, what the service call would send. Read calls only; the result is `planned` when nothing is in
 * the way, else `failed`.
 */
import type { CreateServiceCommandInput, RunTaskCommandInput, UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import type { LaunchSource } from "../engine/canary-start.js";
import { launchFields, runTaskInput, startTaskInput } from "../engine/canary-start.js";
import { preflight as rolloutPreflight } from "../engine/preflight.js";
import { preflight as runPreflight } from "../engine/run.js";
import { planUpdate } from "../engine/service-update.js";
import { errorText, inPhase, openSession, type Session } from "../engine/session.js";
import type { CommandResult, EngineDeps, RolloutSettings, RunTaskSettings, UpSettings } from "../engine/settings.js";
import { targetGroupEntries } from "../engine/targets.js";
import { familyOf } from "../engine/task-definition.js";
import { type DiffPlan, diffSettingsOf, planDiff } from "../plan/plan.js";
import { inert } from "../shared/inert.js";
import type { Read, VerifyReport, VerifySettings } from "./types.js";
import { verify } from "./verify.js";

export type DryRunCommand =
  | { command: "rollout"; settings: RolloutSettings }
  | { command: "up"; settings: UpSettings }
  | { command: "run"; settings: RunTaskSettings };

export interface Plan {
  /** The revision that would be registered (family and images), or the registered one given. */
  taskDefinition: { family: string; registered?: string; containers: { name: string; image: string }[] };
  /** The call that would start the canary (rollout) or the task (run). */
  launch?: { operation: "RunTask" | "StartTask"; input: unknown };
  targetGroups: { targetGroupArn: string; containerName: string; containerPort: number }[];
  /** The call that would change the service: UpdateService (rollout) or CreateService (up). */
  service?: {
    operation: "UpdateService" | "CreateService";
    input: UpdateServiceCommandInput | CreateServiceCommandInput;
  };
}

export interface DryRun {
  result: CommandResult;
  verify: VerifyReport;
  plan?: Plan;
  /** What a rollout or `up` would change (as `diff` shows it); absent for `run`, which changes no service. */
  diff?: Read<DiffPlan>;
}

/** Stands in for the revision a real run would register: its ARN is known only once it is. */
export function nextRevision(family: string): string {
  return `${family}:<next revision>`;
}

export async function dryRun(run: DryRunCommand, verifySettings: VerifySettings, deps: EngineDeps): Promise<DryRun> {
  const { settings } = run;
  const session = openSession(deps, settings.timeouts.overall);
  let plan: Plan;
  try {
    plan = await inPhase(session, "preflight", `${settings.cluster}/${settings.service} (dry run)`, () =>
      planOf(session, run),
    );
  } catch (error) {
    const report = await verify(verifySettings, deps, settings.timeouts.overall);
    return { result: failed(`Dry run: the preflight refused: ${errorText(error)}`), verify: report };
  }
  const report = await verify(verifySettings, deps, settings.timeouts.overall);
  const diff = await diffOf(run, deps);
  if (report.failed) {
    return {
      result: failed(`Dry run: verify found ${report.counts.NG} problem(s); nothing was changed.`),
      verify: report,
      plan,
      ...(diff ? { diff } : {}),
    };
  }
  const message = `Dry run: nothing was changed. ${run.command} would proceed as planned.`;
  return {
    result: { result: "planned", message, serviceChanged: false },
    verify: report,
    plan,
    ...(diff ? { diff } : {}),
  };
}

/** The diff is part of the plan; one that cannot be made is shown as why, and does not fail the dry run. */
async function diffOf(run: DryRunCommand, deps: EngineDeps): Promise<Read<DiffPlan> | undefined> {
  const { settings } = run;
  if (run.command === "run" || !settings.context) return undefined;
  try {
    const updateService = run.command === "rollout" ? run.settings.updateService : false;
    const inputs = { ...settings, updateService };
    const value = await planDiff(diffSettingsOf(settings, settings.context, inputs), deps);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: inert(errorText(error)) };
  }
}

/** The client token is derived from the registered ARN, which a dry run does not have. */
function withoutToken(input: RunTaskCommandInput): RunTaskCommandInput {
  const { clientToken: _, ...rest } = input;
  return rest;
}

function failed(message: string): CommandResult {
  return { result: "failed", message, serviceChanged: false };
}

function taskDefinitionOf(settings: { context?: RolloutSettings["context"]; taskDefinitionArn?: string }) {
  const td = settings.context?.taskDefinition;
  const family = settings.taskDefinitionArn ? familyOf(settings.taskDefinitionArn) : (td?.family ?? "?");
  const containers = settings.taskDefinitionArn
    ? []
    : (td?.containerDefinitions ?? []).map((c) => ({ name: c.name ?? "?", image: c.image ?? "" }));
  return {
    arn: settings.taskDefinitionArn ?? nextRevision(family),
    plan: { family, ...(settings.taskDefinitionArn ? { registered: settings.taskDefinitionArn } : {}), containers },
  };
}

async function planOf(session: Session, run: DryRunCommand): Promise<Plan> {
  const td = taskDefinitionOf(run.settings);
  if (run.command === "rollout") {
    const settings = run.settings;
    // A dry run reports a busy service; it never waits for one.
    const checked = await rolloutPreflight(session, { ...settings, waitIfBusy: false });
    const launch = {
      cluster: settings.cluster,
      service: settings.service,
      runId: settings.runId,
      taskDefinitionArn: td.arn,
      source: checked.source,
    };
    const update = planUpdate(
      settings,
      td.arn,
      checked.live,
      settings.updateService ? settings.context?.service : undefined,
    );
    return {
      taskDefinition: td.plan,
      launch: checked.instance
        ? { operation: "StartTask", input: startTaskInput(launch, checked.instance.arn) }
        : { operation: "RunTask", input: withoutToken(runTaskInput(launch)) },
      targetGroups: targetGroupEntries(checked.source.loadBalancers),
      service: { operation: "UpdateService", input: update.input },
    };
  }
  if (run.command === "run") {
    const source: LaunchSource = await runPreflight(session, run.settings);
    const input: RunTaskCommandInput = {
      ...launchFields(source),
      cluster: run.settings.cluster,
      taskDefinition: td.arn,
      overrides: { containerOverrides: [{ name: run.settings.container, command: run.settings.command }] },
    };
    return { taskDefinition: td.plan, launch: { operation: "RunTask", input }, targetGroups: [] };
  }
  const file = run.settings.context?.service;
  const input: CreateServiceCommandInput = {
    ...file,
    cluster: run.settings.cluster,
    serviceName: run.settings.service,
    taskDefinition: td.arn,
  };
  return {
    taskDefinition: td.plan,
    targetGroups: targetGroupEntries(file?.loadBalancers),
    service: { operation: "CreateService", input },
  };
}
