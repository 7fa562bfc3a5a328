/**
 * ECS's cluster query language, as ListContainerInstances' `filter` takes it: `subject operator [argument]`
 * expressions joined with and/&&, or/||, not/! and parentheses, e.g.
 * `attribute:ecs.instance-type == t3.large and runningTasksCount < 4`.
 */
import { SimError } from "../types.js";

/** What an expression can ask of a container instance. */
export interface InstanceFacts {
  agentConnected: boolean;
  agentVersion: string;
  attributes: Map<string, string>;
  ec2InstanceId: string;
  registeredAt: number;
  runningTasksCount: number;
  taskGroups: string[];
}

type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; operand: Node }
  | { kind: "test"; subject: string; op: Operator; args: string[] };

type Operator = "==" | "!=" | ">" | ">=" | "<" | "<=" | "exists" | "!exists" | "in" | "!in" | "=~" | "!~";

const OPERATORS: Record<string, Operator> = {
  "==": "==",
  equals: "==",
  "!=": "!=",
  not_equals: "!=",
  ">": ">",
  greater_than: ">",
  ">=": ">=",
  greater_than_equal: ">=",
  "<": "<",
  less_than: "<",
  "<=": "<=",
  less_than_equal: "<=",
  exists: "exists",
  "!exists": "!exists",
  not_exists: "!exists",
  in: "in",
  "!in": "!in",
  not_in: "!in",
  "=~": "=~",
  matches: "=~",
  "!~": "!~",
  not_matches: "!~",
};

const SUBJECTS = ["agentConnected", "agentVersion", "ec2InstanceId", "registeredAt", "runningTasksCount", "task:group"];
const ORDERED = new Set(["agentVersion", "registeredAt", "runningTasksCount"]);
const TOKEN = /\s*(==|!=|>=|<=|=~|!~|&&|\|\||[()[\],<>!]|[^\s()[\],=!<>&|~]+)/y;

function invalid(filter: string, why: string): SimError {
  return new SimError("InvalidParameterException", `Invalid filter expression "${filter}": ${why}.`);
}

function tokenize(filter: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(filter);
    if (!m) {
      if (filter.slice(start).trim() === "") break;
      throw invalid(filter, `unexpected "${filter.slice(start).trim()[0]}"`);
    }
    tokens.push(m[1]!);
  }
  return tokens;
}

/** Parses a filter; an expression ECS could not parse throws InvalidParameterException. */
export function parseFilter(filter: string): Node {
  const tokens = tokenize(filter);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw invalid(filter, "the expression ends too early");
    return t;
  };
  const expect = (t: string) => {
    if (tokens[i++] !== t) throw invalid(filter, `expected "${t}"`);
  };
  const or = (): Node => {
    let left = and();
    while (peek() === "or" || peek() === "||") {
      i++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = not();
    while (peek() === "and" || peek() === "&&") {
      i++;
      left = { kind: "and", left, right: not() };
    }
    return left;
  };
  const not = (): Node => {
    if (peek() === "not" || peek() === "!") {
      i++;
      return { kind: "not", operand: not() };
    }
    if (peek() === "(") {
      i++;
      const inner = or();
      expect(")");
      return inner;
    }
    return test();
  };
  const test = (): Node => {
    const subject = next();
    if (!SUBJECTS.includes(subject) && !/^attribute:\S+$/.test(subject)) {
      throw invalid(filter, `unknown subject "${subject}"`);
    }
    let word = next();
    if (word === "!" && (peek() === "in" || peek() === "exists")) word += next();
    const op = OPERATORS[word];
    if (!op) throw invalid(filter, `unknown operator "${word}"`);
    if ([">", ">=", "<", "<="].includes(op) && !ORDERED.has(subject)) {
      throw invalid(filter, `${subject} cannot be compared with ${word}`);
    }
    if (op === "exists" || op === "!exists") return { kind: "test", subject, op, args: [] };
    if (op !== "in" && op !== "!in") return { kind: "test", subject, op, args: [value(next())] };
    const open = next();
    const close = open === "[" ? "]" : open === "(" ? ")" : undefined;
    if (!close) throw invalid(filter, `${word} needs a list like [a, b]`);
    const args = [value(next())];
    while (peek() === ",") {
      i++;
      args.push(value(next()));
    }
    expect(close);
    return { kind: "test", subject, op, args };
  };
  const value = (t: string) => {
    if (/^[()[\],]$/.test(t) || OPERATORS[t] !== undefined) throw invalid(filter, `expected a value, got "${t}"`);
    return t;
  };
  if (tokens.length === 0) throw invalid(filter, "the expression is empty");
  const node = or();
  if (i < tokens.length) throw invalid(filter, `unexpected "${tokens[i]}"`);
  return node;
}

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`);

function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let k = 0; k < Math.max(x.length, y.length); k++) {
    const d = (x[k] ?? 0) - (y[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Values of the subject for this instance: one, none (an absent attribute), or several (task groups). */
function valuesOf(subject: string, facts: InstanceFacts): string[] {
  if (subject.startsWith("attribute:")) {
    const v = facts.attributes.get(subject.slice("attribute:".length));
    return v === undefined ? [] : [v];
  }
  switch (subject) {
    case "agentConnected":
      return [String(facts.agentConnected)];
    case "agentVersion":
      return [facts.agentVersion];
    case "ec2InstanceId":
      return [facts.ec2InstanceId];
    case "registeredAt":
      return [String(facts.registeredAt)];
    case "runningTasksCount":
      return [String(facts.runningTasksCount)];
    default:
      return facts.taskGroups;
  }
}

function order(subject: string, value: string, arg: string): number {
  if (subject === "agentVersion") return compareVersions(value, arg);
  if (subject === "registeredAt") return Number(value) - Date.parse(arg);
  return Number(value) - Number(arg);
}

function holds(node: Extract<Node, { kind: "test" }>, facts: InstanceFacts): boolean {
  const values = valuesOf(node.subject, facts);
  const arg = node.args[0] ?? "";
  const any = (f: (v: string) => boolean) => values.some(f);
  const equal = (v: string) => (ORDERED.has(node.subject) ? order(node.subject, v, arg) === 0 : v === arg);
  switch (node.op) {
    case "exists":
      return values.length > 0;
    case "!exists":
      return values.length === 0;
    case "==":
      return any(equal);
    case "!=":
      return !any(equal);
    case ">":
      return any((v) => order(node.subject, v, arg) > 0);
    case ">=":
      return any((v) => order(node.subject, v, arg) >= 0);
    case "<":
      return any((v) => order(node.subject, v, arg) < 0);
    case "<=":
      return any((v) => order(node.subject, v, arg) <= 0);
    case "in":
      return any((v) => node.args.includes(v));
    case "!in":
      return !any((v) => node.args.includes(v));
    case "=~":
      return any((v) => wildcard(arg).test(v));
    case "!~":
      return !any((v) => wildcard(arg).test(v));
  }
}

export function matches(node: Node, facts: InstanceFacts): boolean {
  switch (node.kind) {
    case "and":
      return matches(node.left, facts) && matches(node.right, facts);
    case "or":
      return matches(node.left, facts) || matches(node.right, facts);
    case "not":
      return !matches(node.operand, facts);
    default:
      return holds(node, facts);
  }
}
