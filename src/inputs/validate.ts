/**
 * The parsers of user-given values, shared by the CLI's flags and the action's inputs. Each takes the name to quote
 * (`--canary-task-idle-duration`, `'canary-task-idle-duration'` or `CAGE_TIMEOUT (for --timeout)`) and says the
 * accepted form when it refuses.
 */
import { parseDuration } from "../shared/duration.js";

/** A value the user gave that cannot work; the message names the input or flag and what it accepts. */
export class InputError extends Error {
  override name = "InputError";
}

/** `positive`: 0 is refused (a timeout of 0 could never be met). */
export function durationOf(label: string, value: string, options: { positive?: boolean } = {}): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InputError(`${label} must be a duration like 15s or 10m, got '${value}'`);
  if (ms === 0 && options.positive) throw new InputError(`${label} must be longer than 0, got '${value}'`);
  return ms;
}

/** How many revisions to keep: a whole number from 1; ECS keeps ACTIVE revisions without limit otherwise. */
export function revisionCountOf(label: string, value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InputError(`${label} must be a whole number from 1, like 10, got '${value}'`);
  return n;
}

/** A choice matches whatever its case (`HIGH` is `high`), with spaces around it ignored. */
export function choiceOf<T extends string>(label: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value.trim().toLowerCase());
  if (!found) throw new InputError(`${label} must be one of ${allowed.join(", ")}, got '${value}'`);
  return found;
}

/** The action's booleans: YAML 1.2 core-schema booleans only, as @actions/core's getBooleanInput accepts. */
export function actionBooleanOf(label: string, value: string): boolean {
  if (["true", "True", "TRUE"].includes(value.trim())) return true;
  if (["false", "False", "FALSE"].includes(value.trim())) return false;
  throw new InputError(`${label} must be true or false, got '${value}'`);
}

/** The CLI's booleans, in `--flag=VALUE` and in variables alike: true, false, 1 or 0, in any case. */
export function cliBooleanOf(label: string, value: string): boolean {
  if (/^(true|1)$/i.test(value.trim())) return true;
  if (/^(false|0)$/i.test(value.trim())) return false;
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

/** A task definition: a full ARN in the same region (when the region is known yet), or `family:revision`. */
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
  if (region && arn.region !== region) {
    throw new InputError(
      `${label} is in region ${arn.region} but the deployment is in ${region}; task definitions cannot cross regions`,
    );
  }
  return value;
}

/** Where to start an EC2 canary: a container instance ARN or ID, or an EC2 instance id. */
/** An ECS service deployment ARN in the deployment's region. */
export function serviceDeploymentArnOf(label: string, value: string, region: string): string {
  const form = `arn:aws:ecs:${region || "<region>"}:<account>:service-deployment/<cluster>/<service>/<id>`;
  const arn = parseArn(value);
  if (arn?.service !== "ecs" || !/^service-deployment\/[^/]+\/[^/]+\/[A-Za-z0-9_-]+$/.test(arn.resource)) {
    throw new InputError(`${label} must be a service deployment ARN like ${form}; got '${value}'`);
  }
  if (region && arn.region !== region) {
    throw new InputError(`${label} is in region ${arn.region} but the service is in ${region}: name one of ${region}`);
  }
  return value;
}

export function canaryInstanceOf(label: string, value: string, region: string): string {
  if (/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(value)) return value;
  if (/^[0-9a-f]{32}$/.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) {
    return value;
  }
  const arn = parseArn(value);
  if (arn?.service === "ecs" && arn.resource.startsWith("container-instance/")) {
    if (region && arn.region !== region) {
      throw new InputError(`${label} is in region ${arn.region} but the deployment is in ${region}`);
    }
    return value;
  }
  throw new InputError(
    `${label} must be a container instance ARN (arn:aws:ecs:${region}:<account>:container-instance/<cluster>/<id>), a container instance ID, or an EC2 instance id (i-...); got '${value}'`,
  );
}

/** An endpoint: http or https, with a host. */
export function urlOf(label: string, value: string): string {
  let url: URL | undefined;
  try {
    url = /\s/.test(value) ? undefined : new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !["http:", "https:"].includes(url.protocol) || url.hostname === "") {
    throw new InputError(`${label} must be a URL like http://127.0.0.1:4566, got '${value}'`);
  }
  return value;
}

type Env = Record<string, string | undefined>;

/** The AWS SDK's own endpoint variables, one per service, and the general one. */
const ENDPOINT_VARIABLES = {
  ecs: "AWS_ENDPOINT_URL_ECS",
  ecr: "AWS_ENDPOINT_URL_ECR",
  elbv2: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
  ec2: "AWS_ENDPOINT_URL_EC2",
  cloudwatch: "AWS_ENDPOINT_URL_CLOUDWATCH",
} as const;
export type Endpoints = Partial<Record<keyof typeof ENDPOINT_VARIABLES, string>>;

/**
 * Where each AWS service is reached. A service's own variable beats the general endpoint, unless the general one
 * was given explicitly (`--endpoint-url`), as the SDK does with its own settings.
 */
export function endpointsOf(env: Env, general?: { url: string; label: string; explicit: boolean }): Endpoints {
  const all = general ?? fromVariable(env, "AWS_ENDPOINT_URL");
  const endpoints: Endpoints = {};
  for (const [service, variable] of Object.entries(ENDPOINT_VARIABLES) as [keyof Endpoints, string][]) {
    const own = fromVariable(env, variable);
    const chosen = all?.explicit ? all : (own ?? all);
    if (chosen) endpoints[service] = urlOf(chosen.label, chosen.url);
  }
  return endpoints;
}

function fromVariable(env: Env, variable: string) {
  const url = env[variable]?.trim();
  return url ? { url, label: variable, explicit: false } : undefined;
}

/** The workflow run as GitHub numbers it: `GITHUB_RUN_ID`, with `-attempt` from the second attempt on. */
export function runIdFromEnv(env: Env): string | undefined {
  const id = env.GITHUB_RUN_ID?.trim();
  if (!id) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT?.trim();
  return attempt ? `${id}-${attempt}` : id;
}

/** A run id is kept in the canary's tags (256 characters at most) and shown in logs: no control characters. */
export function runIdOf(label: string, value: string): string {
  if (!/^[^\p{Cc}]{1,256}$/u.test(value)) {
    throw new InputError(`${label} must be at most 256 characters without control characters, like 1234-2`);
  }
  return value;
}

/** Entries separated by newlines or commas; blank entries are dropped. */
export function listOf(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

const PAIR = /^([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/;

/** `production/web` as a cluster and a service; undefined when the entry is not such a pair. */
export function servicePairOf(entry: string): { cluster: string; service: string } | undefined {
  const pair = PAIR.exec(entry);
  return pair ? { cluster: pair[1] as string, service: pair[2] as string } : undefined;
}
