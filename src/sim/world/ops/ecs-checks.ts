/**
 * What ECS refuses in CreateService, UpdateService, RunTask and StartTask before anything changes: values outside
 * the model's enums, counts beyond ECS's quotas (which would also make the simulator allocate without bound), and
 * network settings ECS does not take.
 */
import type * as ECS from "@aws-sdk/client-ecs";
import { type EcsEnumName, ecsEnums } from "../../models.js";
import { SimError } from "../../types.js";

/** The Amazon ECS service quota "Tasks per service" (the desired count), which cannot be raised. */
export const MAX_TASKS_PER_SERVICE = 5000;
/** ECS takes health-check grace periods up to 2^31 - 1 seconds. */
const MAX_GRACE_SECONDS = 2_147_483_647;

/** A member path, `[]` marking a list, and the enum its values must come from. */
export type EnumRule = readonly [path: string, enumName: EcsEnumName];

const NETWORK: EnumRule[] = [["networkConfiguration.awsvpcConfiguration.assignPublicIp", "AssignPublicIp"]];
const PLACEMENT: EnumRule[] = [
  ["placementConstraints[].type", "PlacementConstraintType"],
  ["placementStrategy[].type", "PlacementStrategyType"],
];

export const SERVICE_ENUMS: EnumRule[] = [
  ["launchType", "LaunchType"],
  ["schedulingStrategy", "SchedulingStrategy"],
  ["propagateTags", "PropagateTags"],
  ["deploymentController.type", "DeploymentControllerType"],
  ["availabilityZoneRebalancing", "AvailabilityZoneRebalancing"],
  ["deploymentConfiguration.strategy", "DeploymentStrategy"],
  ...NETWORK,
  ...PLACEMENT,
];
export const RUN_TASK_ENUMS: EnumRule[] = [
  ["launchType", "LaunchType"],
  ["propagateTags", "PropagateTags"],
  ...NETWORK,
  ...PLACEMENT,
];
export const START_TASK_ENUMS: EnumRule[] = [["propagateTags", "PropagateTags"], ...NETWORK];

/** Every value at `path` in `input`, with the concrete path (`portMappings[1].protocol`) it was found at. */
function valuesAt(input: unknown, path: string): { at: string; value: unknown }[] {
  let found: { at: string; value: unknown }[] = [{ at: "", value: input }];
  for (const step of path.split(".")) {
    const list = step.endsWith("[]");
    const key = list ? step.slice(0, -2) : step;
    const next: { at: string; value: unknown }[] = [];
    for (const { at, value } of found) {
      if (typeof value !== "object" || value === null) continue;
      const child = key === "" ? value : (value as Record<string, unknown>)[key];
      const here = key === "" ? at : at ? `${at}.${key}` : key;
      if (child === undefined || child === null) continue;
      if (!list) next.push({ at: here, value: child });
      else if (Array.isArray(child)) next.push(...child.map((v, i) => ({ at: `${here}[${i}]`, value: v })));
    }
    found = next;
  }
  return found;
}

/** Refuses the first value outside its enum, in the words of AWS's model validation. */
export function checkEnums(input: unknown, rules: EnumRule[], code: string): void {
  for (const [path, name] of rules) {
    const allowed = Object.values(ecsEnums[name]) as string[];
    for (const { at, value } of valuesAt(input, path)) {
      if (allowed.includes(value as string)) continue;
      throw new SimError(
        code,
        `1 validation error detected: Value '${String(value)}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`,
      );
    }
  }
}

export function checkDesiredCount(count: number | undefined): void {
  if (count === undefined) return;
  if (!Number.isInteger(count) || count < 0) {
    throw new SimError("InvalidParameterException", `Desired count must be a whole number of 0 or more, got ${count}.`);
  }
  if (count > MAX_TASKS_PER_SERVICE) {
    throw new SimError(
      "InvalidParameterException",
      `The desired count ${count} exceeds the quota of ${MAX_TASKS_PER_SERVICE} tasks per service.`,
    );
  }
}

export function checkGracePeriod(seconds: number | undefined): void {
  if (seconds === undefined || (Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_GRACE_SECONDS)) return;
  throw new SimError(
    "InvalidParameterException",
    `healthCheckGracePeriodSeconds must be between 0 and ${MAX_GRACE_SECONDS}, got ${seconds}.`,
  );
}

/** ECS's limits on an awsvpc configuration, and what each launch type takes. */
export function checkNetwork(config: ECS.NetworkConfiguration | undefined, launchType: string): void {
  const vpc = config?.awsvpcConfiguration;
  if (!vpc) return;
  if ((vpc.subnets?.length ?? 0) > 16) {
    throw new SimError("InvalidParameterException", "subnets can have at most 16 items.");
  }
  if ((vpc.securityGroups?.length ?? 0) > 5) {
    throw new SimError("InvalidParameterException", "securityGroups can have at most 5 items.");
  }
  if (vpc.assignPublicIp === "ENABLED" && launchType !== "FARGATE") {
    throw new SimError("InvalidParameterException", "Assign public IP is not supported for this launch type.");
  }
}

export function checkPlatformVersion(platformVersion: string | undefined, launchType: string): void {
  if (platformVersion !== undefined && launchType === "EC2") {
    throw new SimError(
      "InvalidParameterException",
      "The platform version must be null when specifying an EC2 launch type.",
    );
  }
}

/** A task definition runs on Fargate only when it is Fargate-compatible (awsvpc, or it requires Fargate), as its view says. */
export function checkCompatible(td: { input: Record<string, unknown> }, launchType: string): void {
  const requires = (td.input.requiresCompatibilities as string[] | undefined) ?? [];
  const fargate = td.input.networkMode === "awsvpc" || requires.includes("FARGATE");
  if (launchType === "FARGATE" && !fargate) {
    throw new SimError("InvalidParameterException", "Task definition does not support launch_type FARGATE.");
  }
}

const PAUSE_NOT_AT = ["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"];

/** deploymentConfiguration.lifecycleHooks: known stages, PAUSE hooks where ECS allows them, Lambda targets. */
export function checkLifecycleHooks(hooks: ECS.DeploymentLifecycleHook[] | undefined): void {
  const stages = Object.values(ecsEnums.DeploymentLifecycleHookStage) as string[];
  hooks?.forEach((hook, i) => {
    const at = `deploymentConfiguration.lifecycleHooks.${i + 1}`;
    if (!hook.lifecycleStages?.length) {
      throw new SimError("InvalidParameterException", `${at}: lifecycleStages must name at least one stage.`);
    }
    for (const stage of hook.lifecycleStages) {
      if (!stages.includes(stage)) {
        throw new SimError(
          "InvalidParameterException",
          `${at}: invalid lifecycle stage ${stage}; valid stages are ${stages.join(", ")}.`,
        );
      }
      if (hook.targetType === "PAUSE" && PAUSE_NOT_AT.includes(stage)) {
        throw new SimError(
          "InvalidParameterException",
          "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages. These stages are only valid for AWS_LAMBDA hooks.",
        );
      }
    }
    if (hook.targetType !== "PAUSE" && (!hook.hookTargetArn || !hook.roleArn)) {
      throw new SimError("InvalidParameterException", `${at}: an AWS_LAMBDA hook needs hookTargetArn and roleArn.`);
    }
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes;
    if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 20_160)) {
      throw new SimError(
        "InvalidParameterException",
        `${at}: timeoutInMinutes must be from 1 to 20160, got ${minutes}.`,
      );
    }
  });
}
