/**
 * ARNs in a deploy context that name another region or account than the run's, where ECS cannot use them from there:
 * a target group, a role, a capacity provider of another region fails only late, with a message about something else.
 * Services that ECS documents as reachable across regions or accounts (SSM, Secrets Manager, S3, ECR) are left out.
 */
import { parseArn } from "../inputs/validate.js";
import { formatPath, type JsonPath } from "./json.js";
import type { DeployContext } from "./types.js";

/** Which ARNs must be in the run's region and which in its account; IAM is global, so only its account counts. */
const SAME_REGION = new Set(["ecs", "elasticloadbalancing", "servicediscovery", "vpc-lattice", "ec2", "kms"]);
const SAME_ACCOUNT = new Set(["ecs", "elasticloadbalancing", "servicediscovery", "iam"]);
/** Free-form values (an app's environment, log driver options, labels, tags) may name anything, anywhere. */
const FREE_FORM = new Set(["environment", "options", "dockerLabels", "tags", "secretOptions", "systemControls"]);

interface Found {
  file: string;
  path: JsonPath;
  service: string;
  region: string;
  account: string;
}

function arnsIn(value: unknown, file: string, path: JsonPath, out: Found[]): void {
  if (typeof value === "string") {
    const arn = parseArn(value);
    if (arn) out.push({ file, path, service: arn.service, region: arn.region, account: arn.account });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      arnsIn(item, file, [...path, i], out);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) if (!FREE_FORM.has(key)) arnsIn(item, file, [...path, key], out);
  }
}

function arnsOf(context: DeployContext): Found[] {
  const found: Found[] = [];
  arnsIn(context.service, context.serviceFile, [], found);
  if (context.taskDefinition && context.taskDefinitionFile) {
    arnsIn(context.taskDefinition, context.taskDefinitionFile, [], found);
  }
  return found;
}

/** One warning per ARN of another region; the fix is the ARN or the run's region. */
export function otherRegionArns(context: DeployContext, region: string): string[] {
  return arnsOf(context)
    .filter((a) => SAME_REGION.has(a.service) && a.region !== "" && a.region !== region)
    .map(
      (a) =>
        `${a.file}: ${formatPath(a.path)} is in region ${a.region}, but this run is in ${region}; ECS cannot use ${a.service} resources across regions. Fix the ARN, or run in ${a.region}.`,
    );
}

/** One warning per ARN of another account than the service's; cross-account use of these always fails. */
export function otherAccountArns(context: DeployContext, account: string): string[] {
  return arnsOf(context)
    .filter((a) => SAME_ACCOUNT.has(a.service) && a.account !== "" && a.account !== account)
    .map(
      (a) =>
        `${a.file}: ${formatPath(a.path)} is in account ${a.account}, but the service is in account ${account}; ECS cannot use ${a.service} resources of another account. Fix the ARN, or use credentials for account ${a.account}.`,
    );
}
