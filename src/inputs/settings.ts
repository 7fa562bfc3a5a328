/**
 * The per-command settings both front ends hand the engine, built from the fields read (read.ts) and the deploy
 * context: the same values give the same RolloutSettings whether they came from inputs or from flags.
 */
import { resolveTarget } from "../context/target.js";
import type { DeployContext } from "../context/types.js";
import type {
  CleanupSettings,
  Naming,
  RolloutSettings,
  RunTaskSettings,
  Target,
  Timeouts,
  UpSettings,
} from "../engine/settings.js";
import { FIELDS as F, TIMEOUT_FIELDS } from "./fields.js";
import type { FAIL_ON, FAIL_ON_UNSCANNED } from "./fields-audit.js";
import type { Values } from "./read.js";
import { InputError } from "./validate.js";

/** A deploy command's fields, before the deploy context is read: the cluster and service may still come from it. */
export type DeployInputs = Omit<RolloutSettings, "cluster" | "service" | "context"> & {
  cluster?: string;
  service?: string;
};

/** `region` when the front end knows it otherwise (`cage demo`: its world's); `runId` when no run names it. */
export function deployInputsOf(values: Values, fallback: { runId: string; region?: string }): DeployInputs {
  const region = fallback.region ?? values.need(F.region);
  return {
    region,
    cluster: values.get(F.cluster),
    service: values.get(F.service),
    taskDefinitionArn: values.get(F.taskDefinitionArn),
    canaryInstanceArn: values.get(F.canaryInstanceArn),
    updateService: values.get(F.updateService),
    canaryTaskIdleDuration: values.get(F.canaryTaskIdleDuration),
    soak: {
      durationMs: values.get(F.canarySoak),
      alarms: values.get(F.canaryAlarms) ?? [],
      insufficientData: values.get(F.canaryAlarmsInsufficient),
    },
    timeouts: timeoutsOf(values),
    onDeploymentFailure: values.get(F.onDeploymentFailure),
    waitIfBusy: values.get(F.waitIfBusy),
    runId: values.get(F.runId) ?? fallback.runId,
  };
}

export function timeoutsOf(values: Values): Timeouts {
  const entries = Object.entries(TIMEOUT_FIELDS).map(([key, field]) => [key, values.get(field)]);
  return Object.fromEntries(entries) as Timeouts;
}

/**
 * The cluster and service: an explicit input or flag wins over service.json. Without either, the cluster is the
 * one named `default`, as in ECS's own API and CLI; a service has no such default.
 */
export function targetOf(
  inputs: { region: string; cluster?: string; service?: string },
  context: DeployContext | undefined,
  naming: Naming,
): Target {
  const { cluster, service } = resolveTarget(inputs, context);
  if (!service) {
    const file = context ? `${context.serviceFile} has no serviceName` : "there is no deploy context";
    throw new InputError(`${naming.input("service")} is empty and ${file}: set one of them`);
  }
  return { region: inputs.region, cluster: cluster ?? "default", service };
}

export function rolloutSettingsOf(
  inputs: DeployInputs,
  context: DeployContext | undefined,
  naming: Naming,
): RolloutSettings {
  if (inputs.updateService && !context) {
    throw new InputError(
      `${naming.input("update-service")} needs a deploy context with service.json to take the service's fields from`,
    );
  }
  return {
    ...targetOf(inputs, context, naming),
    ...(context ? { context } : {}),
    ...(inputs.taskDefinitionArn ? { taskDefinitionArn: inputs.taskDefinitionArn } : {}),
    ...(inputs.canaryInstanceArn ? { canaryInstanceArn: inputs.canaryInstanceArn } : {}),
    updateService: inputs.updateService,
    canaryTaskIdleDuration: inputs.canaryTaskIdleDuration,
    ...(inputs.soak ? { soak: inputs.soak } : {}),
    timeouts: inputs.timeouts,
    onDeploymentFailure: inputs.onDeploymentFailure,
    waitIfBusy: inputs.waitIfBusy,
    runId: inputs.runId,
  };
}

export function upSettingsOf(inputs: DeployInputs, context: DeployContext | undefined, naming: Naming): UpSettings {
  return {
    ...targetOf(inputs, context, naming),
    ...(context ? { context } : {}),
    ...(inputs.taskDefinitionArn ? { taskDefinitionArn: inputs.taskDefinitionArn } : {}),
    timeouts: inputs.timeouts,
    runId: inputs.runId,
  };
}

export function runTaskSettingsOf(
  inputs: DeployInputs,
  context: DeployContext,
  run: { container: string; command: string[] },
  naming: Naming,
): RunTaskSettings {
  return {
    ...targetOf(inputs, context, naming),
    context,
    ...(inputs.taskDefinitionArn ? { taskDefinitionArn: inputs.taskDefinitionArn } : {}),
    container: run.container,
    command: run.command,
    timeouts: inputs.timeouts,
    runId: inputs.runId,
  };
}

/** A cleanup looks for this run's canaries only when a run was named. */
export function cleanupSettingsOf(
  values: Values,
  inputs: DeployInputs,
  context: DeployContext | undefined,
): CleanupSettings {
  const runId = values.get(F.runId);
  return {
    ...targetOf(inputs, context, values.naming),
    ...(runId ? { runId } : {}),
    drain: true,
    timeouts: inputs.timeouts,
  };
}

/** An audit's fields, for the audit and its gate. */
export interface AuditInputs {
  source: "running" | "task-definition" | "deploy-context";
  failOn: (typeof FAIL_ON)[number];
  failOnFixableOnly: boolean;
  failOnUnscanned: (typeof FAIL_ON_UNSCANNED)[number];
  ignoreFile?: string;
  scanWaitTimeout: number;
  detail: boolean;
}

export function auditInputsOf(values: Values): AuditInputs {
  return {
    source: values.get(F.auditSource),
    failOn: values.get(F.failOn),
    failOnFixableOnly: values.get(F.failOnFixableOnly),
    failOnUnscanned: values.get(F.failOnUnscanned),
    ignoreFile: values.get(F.ignoreFile),
    scanWaitTimeout: values.get(F.scanWaitTimeout),
    detail: values.get(F.detail),
  };
}
