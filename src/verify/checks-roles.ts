/** Roles and ARNs: an execution role wherever ECS's agent needs one, ARNs well-formed for the region and account. */
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import { parseImage, registryOf } from "../audit/image-ref.js";
import { otherAccountArns, otherRegionArns } from "../context/arns.js";
import { parseArn } from "../inputs/validate.js";
import type { Check, Facts } from "./types.js";

/** What makes ECS's agent act for the task, with the execution role: awslogs, secrets, pulls from private ECR. */
export function executionRoleNeeds(td: RegisterTaskDefinitionRequest): string[] {
  const needs: string[] = [];
  for (const c of td.containerDefinitions ?? []) {
    if (c.logConfiguration?.logDriver === "awslogs") needs.push(`awslogs (${c.name})`);
    if ((c.secrets?.length ?? 0) > 0 || (c.logConfiguration?.secretOptions?.length ?? 0) > 0) {
      needs.push(`secrets (${c.name})`);
    }
    const ref = c.image ? parseImage(c.image) : undefined;
    if (ref && !("error" in ref) && registryOf(ref).kind === "ecr") needs.push(`private ECR (${c.name})`);
  }
  return needs;
}

export function executionRoleCheck(facts: Facts): Check {
  const name = "executionRoleArn is set where needed";
  const td = facts.taskDefinition.ok ? facts.taskDefinition.value : undefined;
  if (!td) return { name, status: "SKIP", reason: "the task definition could not be read" };
  const needs = executionRoleNeeds(td);
  if (td.executionRoleArn) return { name, status: "OK", reason: td.executionRoleArn };
  return needs.length === 0
    ? { name, status: "OK", reason: "none needed" }
    : { name, status: "NG", reason: `missing, and needed for ${needs.join(", ")}` };
}

function isRoleArn(value: string): boolean {
  const arn = parseArn(value);
  return arn !== undefined && arn.service === "iam" && arn.region === "" && arn.resource.startsWith("role/");
}

/** Role ARNs are IAM roles of no region; secrets are SSM parameters or Secrets Manager secrets. */
export function malformedArns(td: RegisterTaskDefinitionRequest): string[] {
  const problems: string[] = [];
  for (const [key, value] of [
    ["executionRoleArn", td.executionRoleArn],
    ["taskRoleArn", td.taskRoleArn],
  ] as const) {
    if (!value) continue;
    if (!isRoleArn(value)) {
      problems.push(`${key} '${value}' is not an IAM role ARN like arn:aws:iam::<account>:role/<name>`);
    }
  }
  for (const c of td.containerDefinitions ?? []) {
    for (const secret of [...(c.secrets ?? []), ...(c.logConfiguration?.secretOptions ?? [])]) {
      const from = secret.valueFrom ?? "";
      if (!from.startsWith("arn:")) continue; // a parameter name in this region
      const arn = parseArn(from);
      const ok =
        arn &&
        ((arn.service === "ssm" && arn.resource.startsWith("parameter")) ||
          (arn.service === "secretsmanager" && arn.resource.startsWith("secret:")));
      if (!ok)
        problems.push(`${c.name} secret ${secret.name}: '${from}' is not an SSM parameter or Secrets Manager ARN`);
    }
  }
  return problems;
}

export function arnChecks(facts: Facts): Check[] {
  const name = "role and secret ARNs are well-formed";
  const td = facts.taskDefinition.ok ? facts.taskDefinition.value : undefined;
  const checks: Check[] = [];
  if (!td) checks.push({ name, status: "SKIP", reason: "the task definition could not be read" });
  else {
    const problems = malformedArns(td);
    checks.push(
      problems.length > 0 ? { name, status: "NG", reason: problems.join("; ") } : { name, status: "OK", reason: "" },
    );
  }
  const context = facts.settings.context;
  const where = "ARNs are in the run's region and account";
  if (!context) checks.push({ name: where, status: "SKIP", reason: "no deploy context" });
  else {
    const account = accountOf(facts);
    const problems = [
      ...otherRegionArns(context, facts.settings.region),
      ...(account ? otherAccountArns(context, account) : []),
    ];
    const known = account
      ? `region ${facts.settings.region}, account ${account}`
      : `region ${facts.settings.region} (account unknown)`;
    checks.push(
      problems.length > 0
        ? { name: where, status: "NG", reason: problems.join(" ") }
        : { name: where, status: "OK", reason: known },
    );
  }
  return checks;
}

function accountOf(facts: Facts): string | undefined {
  const arn =
    (facts.cluster.ok ? facts.cluster.value?.arn : undefined) ??
    (facts.service.ok ? facts.service.value?.serviceArn : undefined);
  return arn ? parseArn(arn)?.account || undefined : undefined;
}

/** What only other services could say; verify calls ECS, ECR, EC2 and ELB only. */
export function outOfReachChecks(facts: Facts): Check[] {
  const td = facts.taskDefinition.ok ? facts.taskDefinition.value : undefined;
  const containers = td?.containerDefinitions ?? [];
  const checks: Check[] = [];
  if (td?.executionRoleArn || td?.taskRoleArn) {
    checks.push({
      name: "roles exist and trust ECS tasks",
      status: "SKIP",
      reason: "needs IAM (iam:GetRole), which cage does not call",
    });
  }
  if (containers.some((c) => (c.secrets?.length ?? 0) > 0)) {
    checks.push({
      name: "secrets exist and the execution role can read them",
      status: "SKIP",
      reason: "needs SSM / Secrets Manager, which cage does not call",
    });
  }
  if (containers.some((c) => c.logConfiguration?.logDriver === "awslogs")) {
    checks.push({
      name: "awslogs log groups exist",
      status: "SKIP",
      reason: "needs CloudWatch Logs, which cage does not call",
    });
  }
  return checks;
}
