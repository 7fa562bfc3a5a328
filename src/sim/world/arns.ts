/**
 * ECS resources named by ARN must be in the caller's region and account. ECS refuses the request outright
 * (rather than reporting the resource missing): `Invalid Region in ARN`, or, for another account's ARN,
 * `Identifier is for 111111111111. Your accountId is 123456789012`.
 */
import { SimError } from "../types.js";
import type { WorldState } from "./state.js";

/** Request members that name ECS resources, one value or a list. */
const REFERENCES = [
  "cluster",
  "clusters",
  "service",
  "services",
  "serviceName",
  "task",
  "tasks",
  "taskDefinition",
  "containerInstance",
  "containerInstances",
  "resourceArn",
  "serviceDeploymentArns",
];

const ECS_ARN = /^arn:[\w-]+:ecs:([^:]*):([^:]*):/;

export function checkEcsReferences(input: Record<string, unknown>, state: WorldState): void {
  for (const member of REFERENCES) {
    const value = input[member];
    for (const ref of Array.isArray(value) ? value : [value]) {
      const match = typeof ref === "string" ? ECS_ARN.exec(ref) : null;
      if (!match) continue;
      const [, region, account] = match;
      if (region !== state.region) throw new SimError("InvalidParameterException", "Invalid Region in ARN");
      if (account !== state.accountId) {
        throw new SimError(
          "InvalidParameterException",
          `Identifier is for ${/^\d{12}$/.test(account!) ? account : "another account"}. Your accountId is ${state.accountId}`,
        );
      }
    }
  }
}
