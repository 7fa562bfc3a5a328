/**
 * Checks for user-given values, shared by the CLI's flags and the action's inputs. Each names the input as the
 * user wrote it (`--canary-task-idle-duration` or `'canary-task-idle-duration'`) and the accepted form.
 */
import { parseDuration } from "../shared/duration.js";

export class InputError extends Error {
  override name = "InputError";
}

export function durationOf(label: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InputError(`${label} must be a duration like 15s, 10m or 1h30m, got '${value}'`);
  return ms;
}

export function oneOf<T extends string>(label: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value.trim().toLowerCase());
  if (!found) throw new InputError(`${label} must be one of ${allowed.join(", ")}, got '${value}'`);
  return found;
}

export function booleanOf(label: string, value: string): boolean {
  if (/^(true|yes|1)$/i.test(value.trim())) return true;
  if (/^(false|no|0|)$/i.test(value.trim())) return false;
  throw new InputError(`${label} must be true or false, got '${value}'`);
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export function regionOf(label: string, value: string): string {
  if (!REGION.test(value)) throw new InputError(`${label} must be an AWS region like us-east-1, got '${value}'`);
  return value;
}

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(value: string): Arn | undefined {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(value);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! };
}

/** A task definition: a full ARN in the same region, or `family:revision`. */
export function taskDefinitionOf(label: string, value: string, region: string): string {
  if (/^[A-Za-z0-9_-]{1,255}:\d+$/.test(value)) return value;
  const arn = parseArn(value);
  const form = `arn:aws:ecs:${region}:<account>:task-definition/<family>:<revision>, or <family>:<revision>`;
  if (!arn) throw new InputError(`${label} must be a task definition ARN like ${form}; got '${value}'`);
  if (arn.service !== "ecs" || !/^task-definition\/[A-Za-z0-9_-]+:\d+$/.test(arn.resource)) {
    throw new InputError(
      `${label} must name an ECS task definition revision (${form}); got an ARN for ${arn.service}:${arn.resource.split("/")[0]}`,
    );
  }
  if (arn.region !== region) {
    throw new InputError(
      `${label} is in region ${arn.region} but the deployment is in ${region}; task definitions cannot cross regions`,
    );
  }
  return value;
}

/** Where to start an EC2 canary: a container instance ARN or ID, or an EC2 instance id. */
export function canaryInstanceOf(label: string, value: string, region: string): string {
  if (/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(value)) return value;
  if (/^[0-9a-f]{32}$/.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) {
    return value;
  }
  const arn = parseArn(value);
  if (arn?.service === "ecs" && arn.resource.startsWith("container-instance/")) {
    if (arn.region !== region) {
      throw new InputError(`${label} is in region ${arn.region} but the deployment is in ${region}`);
    }
    return value;
  }
  throw new InputError(
    `${label} must be a container instance ARN (arn:aws:ecs:${region}:<account>:container-instance/<cluster>/<id>), a container instance ID, or an EC2 instance id (i-...); got '${value}'`,
  );
}
