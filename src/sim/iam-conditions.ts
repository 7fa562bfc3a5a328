/**
 * IAM Condition blocks, as far as the simulator needs them: the String operators (and their IfExists forms)
 * against the condition keys a request carries, such as `iam:PassedToService` on iam:PassRole.
 */

/** `{"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}` */
export type ConditionBlock = Record<string, Record<string, string | string[]>>;

/** The condition keys of one permission check, by lower-case key (IAM keys are case-insensitive). */
export type RequestContext = Record<string, string>;

type Test = (value: string, wanted: string) => boolean;

/** IAM's wildcards (`*`, `?`) as a regular expression: for StringLike here, and Action and Resource in iam.ts. */
export function wildcard(glob: string, flags = ""): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, flags);
}

const like: Test = (value, glob) => wildcard(glob).test(value);

const OPERATORS: Record<string, { test: Test; negated: boolean }> = {
  StringEquals: { test: (v, w) => v === w, negated: false },
  StringNotEquals: { test: (v, w) => v === w, negated: true },
  StringEqualsIgnoreCase: { test: (v, w) => v.toLowerCase() === w.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (v, w) => v.toLowerCase() === w.toLowerCase(), negated: true },
  StringLike: { test: like, negated: false },
  StringNotLike: { test: like, negated: true },
};

function operatorOf(name: string) {
  const ifExists = name.endsWith("IfExists");
  const op = OPERATORS[ifExists ? name.slice(0, -"IfExists".length) : name];
  return op ? { ...op, ifExists } : undefined;
}

/** Every operator and every key must hold (AND); any of a key's values may match (OR). */
export function conditionsHold(block: ConditionBlock | undefined, context: RequestContext): boolean {
  if (!block) return true;
  return Object.entries(block).every(([name, keys]) => {
    const op = operatorOf(name);
    if (!op) return false;
    return Object.entries(keys).every(([key, wanted]) => {
      const value = context[key.toLowerCase()];
      // A key the request does not carry: only IfExists and the negated operators hold.
      if (value === undefined) return op.ifExists || op.negated;
      const hit = (Array.isArray(wanted) ? wanted : [wanted]).some((w) => op.test(value, w));
      return op.negated ? !hit : hit;
    });
  });
}

/** What is wrong with a statement's Condition, or undefined; `at` is its JSON path. */
export function conditionProblem(block: unknown, at: string): string | undefined {
  if (typeof block !== "object" || block === null || Array.isArray(block)) {
    return `${at}: must be an object like {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}`;
  }
  for (const [name, keys] of Object.entries(block)) {
    if (!operatorOf(name)) {
      return `${at}.${name}: the simulator evaluates the String operators only (${Object.keys(OPERATORS).join(", ")}, and their IfExists forms)`;
    }
    if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
      return `${at}.${name}: must map condition keys to a value or a list of values`;
    }
    for (const [key, wanted] of Object.entries(keys)) {
      const ok = typeof wanted === "string" || (Array.isArray(wanted) && wanted.every((w) => typeof w === "string"));
      if (!ok) return `${at}.${name}.${key}: must be a string or a list of strings`;
    }
  }
  return undefined;
}
