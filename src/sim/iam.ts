/**
 * Optional IAM: a standard identity policy document decides which actions (`ecs:RunTask`) a caller may use.
 * Explicit Deny wins; otherwise an Allow must match. Resources are not evaluated: every statement's Resource is
 * treated as `*`, since the simulator checks that the README's policy names the right actions.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function pattern(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

function matches(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((g) => pattern(g).test(action));
  return list(statement.Action).some((g) => pattern(g).test(action));
}

export function isAllowed(policy: PolicyDocument, action: string): boolean {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const applicable = statements.filter((s) => matches(s, action));
  if (applicable.some((s) => s.Effect === "Deny")) return false;
  return applicable.some((s) => s.Effect === "Allow");
}

export function accessDeniedMessage(action: string): string {
  return `User is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
}
