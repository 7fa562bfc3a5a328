/**
 * Optional IAM: a standard identity policy document decides which actions (`ecs:RunTask`) a caller may use, on
 * which resources. Explicit Deny wins; otherwise an Allow must match. A statement's Resource / NotResource
 * (ARN patterns with `*` and `?`) is matched against the ARNs the request names (iam-resources.ts); where the
 * simulator does not know them, every statement applies whatever its Resource. A Condition (String operators,
 * iam-conditions.ts) must hold for the statement to apply.
 */
import {
  type ConditionBlock,
  conditionProblem,
  conditionsHold,
  type RequestContext,
  wildcard,
} from "./iam-conditions.js";
import { resourcesOf } from "./iam-resources.js";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

/** One permission a call needs: an action, on a resource when the request names one, with its condition keys. */
export interface Permission {
  action: string;
  resource?: string;
  context?: RequestContext;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Actions match case-insensitively (the "i"), resource ARNs exactly. */
function matches(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((g) => wildcard(g, "i").test(action));
  return list(statement.Action).some((g) => wildcard(g, "i").test(action));
}

function covers(statement: PolicyStatement, resource: string | undefined): boolean {
  if (resource === undefined) return true;
  const hit = (globs: string | string[] | undefined) => list(globs).some((g) => wildcard(g).test(resource));
  if (statement.NotResource !== undefined) return !hit(statement.NotResource);
  return statement.Resource === undefined || hit(statement.Resource);
}

export function isAllowed(
  policy: PolicyDocument,
  action: string,
  resource?: string,
  context: RequestContext = {},
): boolean {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const applicable = statements.filter(
    (s) => matches(s, action) && covers(s, resource) && conditionsHold(s.Condition, context),
  );
  if (applicable.some((s) => s.Effect === "Deny")) return false;
  return applicable.some((s) => s.Effect === "Allow");
}

const TAG_ON_CREATE = new Set([
  "RunTask",
  "StartTask",
  "CreateService",
  "RegisterTaskDefinition",
  "CreateCluster",
  "CreateTaskSet",
]);

interface RoleFields {
  taskRoleArn?: unknown;
  executionRoleArn?: unknown;
}

/** A role an ECS call hands over, and the service it is passed to (IAM's `iam:PassedToService`). */
interface PassedRole {
  role: string;
  to: "ecs-tasks.amazonaws.com" | "ecs.amazonaws.com";
}

/** The IAM roles an ECS call hands over: a task definition's, a RunTask/StartTask override's, a service's. */
function passedRoles(operation: string, input: unknown): PassedRole[] {
  // CreateService's `role` (name or ARN) lets ECS itself call the load balancer.
  if (operation === "CreateService") {
    const role = (input as { role?: unknown } | undefined)?.role;
    return typeof role === "string" && role !== "" ? [{ role, to: "ecs.amazonaws.com" }] : [];
  }
  const fields =
    operation === "RegisterTaskDefinition"
      ? (input as RoleFields | undefined)
      : operation === "RunTask" || operation === "StartTask"
        ? (input as { overrides?: RoleFields } | undefined)?.overrides
        : undefined;
  return [fields?.taskRoleArn, fields?.executionRoleArn]
    .filter((arn): arn is string => typeof arn === "string" && arn !== "")
    .map((role) => ({ role, to: "ecs-tasks.amazonaws.com" }));
}

/**
 * The actions a call needs: its own, plus `ecs:TagResource` when an ECS create call carries tags (ECS authorizes
 * tagging on create separately since 2024, so a policy without it fails a tagged RunTask), plus `iam:PassRole`
 * when it hands ECS a role (a task or execution role, or a service's load-balancer role), as AWS checks.
 */
export function requiredActions(signingName: string, operation: string, input: unknown): string[] {
  const actions = [`${signingName}:${operation}`];
  if (signingName !== "ecs") return actions;
  const tags = (input as { tags?: unknown[] } | undefined)?.tags;
  if (TAG_ON_CREATE.has(operation) && Array.isArray(tags) && tags.length > 0) actions.push("ecs:TagResource");
  if (passedRoles(operation, input).length > 0) actions.push("iam:PassRole");
  return actions;
}

/** Every action the call needs, each on every resource the request names (iam-resources.ts). */
export function requiredPermissions(
  signingName: string,
  operation: string,
  input: unknown,
  where: { region: string; accountId: string },
): Permission[] {
  const [own, ...rest] = requiredActions(signingName, operation, input);
  const resources = resourcesOf(signingName, operation, input, where);
  const ownPermissions = resources ? resources.map((resource) => ({ action: own!, resource })) : [{ action: own! }];
  const passRole = signingName === "ecs" ? passedRoles(operation, input) : [];
  return [
    ...ownPermissions,
    ...rest.filter((action) => action !== "iam:PassRole").map((action) => ({ action })),
    ...passRole.map(({ role, to }) => ({
      action: "iam:PassRole",
      resource: role.startsWith("arn:") ? role : `arn:aws:iam::${where.accountId}:role/${role}`,
      context: { "iam:passedtoservice": to },
    })),
  ];
}

export function accessDeniedMessage(action: string, resource?: string): string {
  const on = resource ? ` on resource: ${resource}` : "";
  return `User is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`;
}

/** Validates a policy document from a world file; errors name the source and the JSON path. */
export function parsePolicyDocument(value: unknown, source = "iamPolicy"): PolicyDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${source}: must be an IAM policy document {"Statement": [...]}`);
  }
  const raw = (value as { Statement?: unknown }).Statement;
  if (raw === undefined) throw new Error(`${source}.Statement: required`);
  const statements = Array.isArray(raw) ? raw : [raw];
  statements.forEach((s, i) => {
    const at = Array.isArray(raw) ? `${source}.Statement[${i}]` : `${source}.Statement`;
    if (typeof s !== "object" || s === null) throw new Error(`${at}: must be an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") {
      throw new Error(`${at}.Effect: must be "Allow" or "Deny", got ${JSON.stringify(st.Effect)}`);
    }
    const actions = st.Action ?? st.NotAction;
    const ok = typeof actions === "string" || (Array.isArray(actions) && actions.every((a) => typeof a === "string"));
    if (!ok) throw new Error(`${at}.Action: must be an action like "ecs:DescribeServices" or a list of them`);
    const key = st.NotResource !== undefined ? "NotResource" : "Resource";
    const resources = st[key];
    const valid =
      resources === undefined ||
      typeof resources === "string" ||
      (Array.isArray(resources) && resources.every((r) => typeof r === "string"));
    if (!valid)
      throw new Error(`${at}.${key}: must be "*" or an ARN pattern like "arn:aws:ecs:*:*:service/*", or a list`);
    const condition = st.Condition === undefined ? undefined : conditionProblem(st.Condition, `${at}.Condition`);
    if (condition) throw new Error(condition);
  });
  return value as PolicyDocument;
}
