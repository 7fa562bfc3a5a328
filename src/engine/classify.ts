/**
 * What kind of service this is, read from DescribeServices before anything changes: who deploys it, with which
 * strategy, and what ECS does around a deployment (hooks, bake, alarms). Pure: the verdict is over what was read.
 */
import type { Service } from "@aws-sdk/client-ecs";
import { CageError } from "./errors.js";

export type Strategy = "ROLLING" | "BLUE_GREEN" | "LINEAR" | "CANARY";

export interface ServiceClass {
  controller: string;
  strategy: Strategy;
  /** `resourceManagementType: ECS`: an Express service, whose load balancing ECS owns. */
  express: boolean;
  hooks: number;
  bakeMinutes: number;
  alarms: string[];
}

export function classifyService(service: Service): ServiceClass {
  const config = service.deploymentConfiguration;
  return {
    controller: service.deploymentController?.type ?? "ECS",
    strategy: (config?.strategy ?? "ROLLING") as Strategy,
    express: service.resourceManagementType === "ECS",
    hooks: config?.lifecycleHooks?.length ?? 0,
    bakeMinutes: config?.bakeTimeInMinutes ?? 0,
    alarms: config?.alarms?.enable ? (config.alarms.alarmNames ?? []) : [],
  };
}

/** BLUE_GREEN, LINEAR and CANARY: ECS shifts traffic between two target groups itself. */
export function isNative(c: Pick<ServiceClass, "strategy">): boolean {
  return c.strategy !== "ROLLING";
}

/**
 * Why cage must not roll this service out, or undefined. What only the current revision and the listener rules
 * can tell (gateways, split weights) is refused in production-target.ts.
 */
export function refusalOf(name: string, c: ServiceClass): CageError | undefined {
  const refuse = (what: string, fix: string) => new CageError("refused", "preflight", what, fix);
  if (c.controller !== "ECS") {
    return refuse(
      `Service '${name}' uses the ${c.controller} deployment controller; cage rolls out only services deployed by ECS itself.`,
      "Use the tool that owns its deployments (CodeDeploy or the external controller).",
    );
  }
  if (c.express) {
    return refuse(
      `Service '${name}' is an ECS Express service (resourceManagementType ECS): ECS owns its load balancer and target groups, so cage cannot place a canary in them.`,
      "Deploy it with UpdateExpressGatewayService.",
    );
  }
  return undefined;
}
