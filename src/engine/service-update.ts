/**
 * What UpdateService is sent: the task definition, and with update-service every updatable field of service.json
 * (on BLUE_GREEN, LINEAR and CANARY never the load balancers).
 */
import type {
  CreateServiceRequest,
  Service,
  UpdateServiceCommandInput,
  UpdateServiceRequest,
} from "@aws-sdk/client-ecs";
import { classifyService, isNative } from "./classify.js";
import type { Target } from "./settings.js";

/** Fields CreateService and UpdateService share: service.json sets them, an update can change them. */
export const UPDATABLE_FIELDS = [
  "desiredCount",
  "capacityProviderStrategy",
  "deploymentConfiguration",
  "availabilityZoneRebalancing",
  "networkConfiguration",
  "placementConstraints",
  "placementStrategy",
  "platformVersion",
  "healthCheckGracePeriodSeconds",
  "deploymentController",
  "enableExecuteCommand",
  "enableECSManagedTags",
  "loadBalancers",
  "propagateTags",
  "serviceRegistries",
  "serviceConnectConfiguration",
  "volumeConfigurations",
  "vpcLatticeConfigurations",
  "monitoring",
] as const satisfies readonly (keyof UpdateServiceRequest & keyof CreateServiceRequest)[];

type Updatable = (typeof UPDATABLE_FIELDS)[number];

/**
 * Never sent on BLUE_GREEN, LINEAR and CANARY: re-sending them resets which target group ECS treats as live, and
 * their advancedConfiguration (the pair, the rules, the role) is ECS's to keep.
 */
const LIVE_ON_NATIVE = ["loadBalancers", "vpcLatticeConfigurations"] as const satisfies readonly Updatable[];

/** Lists whose absence from service.json means "none": the update removes what the service still has. */
export const CLEARABLE_LISTS = [
  "loadBalancers",
  "serviceRegistries",
  "placementConstraints",
  "placementStrategy",
] as const;

/** service.json fields UpdateService cannot change, compared with the live service so only real differences are reported. */
function fixedFieldDifferences(file: CreateServiceRequest, live: Service): string[] {
  const differences: string[] = [];
  if (file.launchType && file.launchType !== live.launchType && !file.capacityProviderStrategy?.length) {
    differences.push(
      `launchType ${live.launchType ?? "(none)"} → ${file.launchType}: recreate the service to change it`,
    );
  }
  if (file.schedulingStrategy && file.schedulingStrategy !== live.schedulingStrategy) {
    differences.push(
      `schedulingStrategy ${live.schedulingStrategy} → ${file.schedulingStrategy}: recreate the service to change it`,
    );
  }
  if (file.role && file.role !== live.roleArn && !live.roleArn?.endsWith(`/${file.role}`)) {
    differences.push("role: recreate the service to change it");
  }
  if (file.tags?.length) {
    const liveTags = new Map((live.tags ?? []).map((t) => [t.key, t.value]));
    const changed = file.tags.filter((t) => liveTags.get(t.key) !== t.value).map((t) => t.key);
    if (changed.length > 0) differences.push(`tags ${changed.join(", ")}: use TagResource (aws ecs tag-resource)`);
  }
  return differences;
}

export interface UpdatePlan {
  input: UpdateServiceCommandInput;
  /** Fields the update sends besides the task definition. */
  fields: Updatable[];
  notices: string[];
}

export function planUpdate(
  target: Target,
  taskDefinitionArn: string,
  live: Service,
  file?: CreateServiceRequest,
): UpdatePlan {
  const input: UpdateServiceCommandInput = {
    cluster: target.cluster,
    service: target.service,
    taskDefinition: taskDefinitionArn,
  };
  if (!file) return { input, fields: [], notices: [] };
  const fields: Updatable[] = [];
  const notices: string[] = [];
  const write = input as unknown as Record<string, unknown>;
  const { strategy } = classifyService(live);
  const kept = isNative({ strategy }) ? LIVE_ON_NATIVE : [];
  for (const field of kept) {
    if (file[field] !== undefined) {
      notices.push(
        `service.json's ${field} was not sent: on a ${strategy} service ECS moves traffic between the target groups itself, so the update keeps ${field} (and their advancedConfiguration) as they are live.`,
      );
    }
  }
  const fileStrategy = file.deploymentConfiguration ? (file.deploymentConfiguration.strategy ?? "ROLLING") : strategy;
  if (isNative({ strategy }) && fileStrategy !== strategy) {
    notices.push(
      `service.json's deploymentConfiguration says strategy ${fileStrategy}, but the service deploys with ${strategy}: the update switches it. Set deploymentConfiguration.strategy to ${strategy} in service.json to keep it.`,
    );
  }
  for (const field of UPDATABLE_FIELDS) {
    if ((kept as readonly string[]).includes(field)) continue;
    if (file[field] !== undefined) {
      write[field] = file[field];
      fields.push(field);
    }
  }
  for (const field of CLEARABLE_LISTS) {
    if ((kept as readonly string[]).includes(field)) continue;
    if (file[field] === undefined && (live[field]?.length ?? 0) > 0) {
      write[field] = [];
      fields.push(field);
      notices.push(`service.json has no ${field}: the update removes the service's ${field}.`);
    }
  }
  for (const difference of fixedFieldDifferences(file, live)) {
    notices.push(`service.json field cannot be changed by an update and was not applied: ${difference}.`);
  }
  return { input, fields, notices };
}

/** Puts back the previous task definition and every field the update changed, as the service had them. */
export function planRollback(target: Target, previous: Service, update: UpdatePlan): UpdateServiceCommandInput {
  const input: UpdateServiceCommandInput = {
    cluster: target.cluster,
    service: target.service,
    taskDefinition: previous.taskDefinition,
  };
  const write = input as unknown as Record<string, unknown>;
  // Service connect and volume settings live on the deployment, the rest on the service.
  const primary = previous.deployments?.find((d) => d.status === "PRIMARY");
  const before = { ...primary, ...previous } as unknown as Record<string, unknown>;
  for (const field of update.fields) {
    const value = before[field];
    if (value !== undefined) write[field] = value;
    else if ((CLEARABLE_LISTS as readonly string[]).includes(field)) write[field] = [];
  }
  return input;
}
