/**
 * The per-command settings both front ends hand the engine, built from the fields read (read.ts) and the deploy
 * context: the same values give the same RolloutSettings whether they came from inputs or from flags.
 */
import type { ImageOverrides } from "../context/images.js";
import { resolveTarget } from "../context/target.js";
import type { DeployContext } from "../context/types.js";
import type {
  CleanupSettings,
  Naming,
  NativeSettings,
  PreviousRollout,
  RolloutSettings,
  RunTaskSettings,
  Target,
  Timeouts,
  UpSettings,
} from "../engine/settings.js";
import type { VerifyFor, VerifySettings } from "../verify/types.js";
import { FIELDS as F, TIMEOUT_FIELDS } from "./fields.js";
import type { FAIL_ON, FAIL_ON_UNSCANNED } from "./fields-audit.js";
import { readMetricsFile } from "./metrics-file.js";
import type { Values } from "./read.js";
import { InputError } from "./validate.js";

/** A deploy command's fields, before the deploy context is read: the cluster and service may still come from it. */
export type DeployInputs = Omit<RolloutSettings, "cluster" | "service" | "context"> & {
  cluster?: string;
  service?: string;
  /** Images by container name (`images`, `--image`), for the deploy context's loader. */
  images?: ImageOverrides;
};

/** `region` when the front end knows it otherwise (`cage demo`: its world's); `runId` when no run names it. */
export function deployInputsOf(
  values: Values,
  fallback: { runId: string; region?: string; workspace?: string },
): DeployInputs {
  const region = fallback.region ?? values.need(F.region);
  const durationMs = values.get(F.canarySoak);
  return {
    region,
    cluster: values.get(F.cluster),
    service: values.get(F.service),
    taskDefinitionArn: values.get(F.taskDefinitionArn),
    canaryInstanceArn: values.get(F.canaryInstanceArn),
    updateService: values.get(F.updateService),
    canaryTaskIdleDuration: values.get(F.canaryTaskIdleDuration),
    soak: {
      durationMs,
      alarms: values.get(F.canaryAlarms) ?? [],
      insufficientData: values.get(F.canaryAlarmsInsufficient),
      ...metricsIn(values, durationMs, fallback.workspace),
    },
    timeouts: timeoutsOf(values),
    onDeploymentFailure: values.get(F.onDeploymentFailure),
    waitUntil: values.get(F.waitUntil),
    waitIfBusy: values.get(F.waitIfBusy),
    runId: values.get(F.runId) ?? fallback.runId,
    ...optional("keepRevisions", values.get(F.keepRevisions)),
    ...imagesIn(values),
  };
}

/** The metric checks of canary-metrics, read now so that a bad file fails before anything is sent. */
function metricsIn(values: Values, soakMs: number, workspace: string | undefined) {
  const file = values.get(F.canaryMetrics);
  if (file === undefined) return {};
  const label = values.label(F.canaryMetrics);
  if (soakMs <= 0) {
    throw new InputError(
      `${label} needs a soak to measure in: set ${values.naming.input("canary-soak")} to a duration like 5m`,
    );
  }
  return { metrics: readMetricsFile(file, label, workspace ? { workspace } : {}) };
}

function imagesIn(values: Values): { images?: ImageOverrides } {
  const field = values.get(F.images) ? F.images : F.image;
  const byContainer = values.get(field);
  return byContainer && byContainer.size > 0 ? { images: { label: values.label(field), byContainer } } : {};
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

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
    ...previousRolloutOf(inputs),
    updateService: inputs.updateService,
    ...(inputs.keepRevisions !== undefined ? { keepRevisions: inputs.keepRevisions } : {}),
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

/**
 * `continue` and `rollback`: the service (from the inputs or service.json) and the deployment named, if any; for
 * `rollback`, how a ROLLING service's previous revision is rolled out when nothing is in flight.
 */
export function nativeSettingsOf(
  command: "continue" | "rollback",
  inputs: DeployInputs & { serviceDeploymentArn?: string },
  context: DeployContext | undefined,
  naming: Naming,
): NativeSettings {
  return {
    ...targetOf(inputs, context, naming),
    ...(inputs.serviceDeploymentArn ? { serviceDeploymentArn: inputs.serviceDeploymentArn } : {}),
    timeouts: inputs.timeouts,
    ...(command === "continue" && inputs.waitUntil && inputs.waitUntil !== "deployed"
      ? { waitUntil: inputs.waitUntil }
      : {}),
    ...(command === "rollback" ? { rollout: previousRolloutOf(inputs) } : {}),
  };
}

/** The canary and the follow, as a rollout takes them; a rollback to the previous revision keeps its service fields. */
function previousRolloutOf(inputs: DeployInputs): PreviousRollout {
  return {
    ...(inputs.canaryInstanceArn ? { canaryInstanceArn: inputs.canaryInstanceArn } : {}),
    updateService: false,
    canaryTaskIdleDuration: inputs.canaryTaskIdleDuration,
    ...(inputs.soak ? { soak: inputs.soak } : {}),
    timeouts: inputs.timeouts,
    onDeploymentFailure: inputs.onDeploymentFailure,
    ...(inputs.waitUntil && inputs.waitUntil !== "deployed" ? { waitUntil: inputs.waitUntil } : {}),
    waitIfBusy: inputs.waitIfBusy,
    runId: inputs.runId,
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

/** What `verify` checks, and for which command: a rollout by default; `up --dry-run` verifies for `up`. */
export function verifySettingsOf(
  inputs: DeployInputs,
  context: DeployContext | undefined,
  audit: AuditInputs,
  naming: Naming,
  command: VerifyFor = "rollout",
): VerifySettings {
  const target = targetOf(inputs, context, naming);
  return verifyOf(command, { ...inputs, ...target, ...(context ? { context } : {}) }, audit);
}

/** The checklist for a command's settings (a dry run verifies what it would do). */
export function verifyOf(
  command: VerifyFor,
  settings: Target & {
    context?: DeployContext;
    taskDefinitionArn?: string;
    canaryInstanceArn?: string;
    updateService?: boolean;
  },
  audit: AuditInputs,
): VerifySettings {
  return {
    region: settings.region,
    cluster: settings.cluster,
    service: settings.service,
    for: command,
    ...(settings.context ? { context: settings.context } : {}),
    ...(settings.taskDefinitionArn ? { taskDefinitionArn: settings.taskDefinitionArn } : {}),
    ...(settings.canaryInstanceArn ? { canaryInstanceArn: settings.canaryInstanceArn } : {}),
    updateService: settings.updateService ?? false,
    failOn: audit.failOn,
    failOnFixableOnly: audit.failOnFixableOnly,
    failOnUnscanned: audit.failOnUnscanned,
    scanWaitTimeout: audit.scanWaitTimeout,
  };
}
