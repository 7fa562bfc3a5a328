/**
 * GetMetricData's metric math, the arithmetic part: query ids, numbers, `+ - * /`, unary minus and parentheses.
 * Series are combined at the timestamps they share, as CloudWatch does; a division by zero gives no datapoint.
 * Functions (SUM, FILL, METRICS, ...) are refused by name, so a world never answers with a made-up value.
 */
import { SimError } from "../types.js";

/** Timestamp (ms) → value. */
export type Series = Map<number, number>;
type Value = number | Series;
type Node =
  | { kind: "number"; value: number }
  | { kind: "id"; id: string }
  | { kind: "neg"; operand: Node }
  | { kind: "op"; op: string; left: Node; right: Node };

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y;

const invalid = (queryId: string, message: string) =>
  new SimError("ValidationError", `Error in expression '${queryId}': ${message}`);

function tokens(expression: string, queryId: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (expression.slice(TOKEN.lastIndex).trim() === "") break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(expression);
    if (!m) throw invalid(queryId, `Unrecognized token at position ${at}`);
    out.push(m[1] ?? m[2] ?? m[3] ?? "");
  }
  return out;
}

export function parseExpression(expression: string, queryId: string): Node {
  const list = tokens(expression, queryId);
  let i = 0;
  const peek = () => list[i];
  const primary = (): Node => {
    const t = list[i++];
    if (t === undefined) throw invalid(queryId, "Unexpected end of expression");
    if (t === "(") {
      const inner = sum();
      if (list[i++] !== ")") throw invalid(queryId, "Missing closing parenthesis");
      return inner;
    }
    if (t === "-") return { kind: "neg", operand: primary() };
    if (/^\d/.test(t)) return { kind: "number", value: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === "(") throw invalid(queryId, `The function ${t} is not supported by the simulator`);
      return { kind: "id", id: t };
    }
    throw invalid(queryId, `Unexpected token '${t}'`);
  };
  const product = (): Node => {
    let left = primary();
    while (peek() === "*" || peek() === "/") left = { kind: "op", op: list[i++] as string, left, right: primary() };
    return left;
  };
  const sum = (): Node => {
    let left = product();
    while (peek() === "+" || peek() === "-") left = { kind: "op", op: list[i++] as string, left, right: product() };
    return left;
  };
  const node = sum();
  if (i < list.length) throw invalid(queryId, `Unexpected token '${list[i]}'`);
  return node;
}

const APPLY: Record<string, (a: number, b: number) => number | undefined> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => (b === 0 ? undefined : a / b),
};

function combine(op: string, left: Value, right: Value): Value {
  const apply = APPLY[op] as (a: number, b: number) => number | undefined;
  if (typeof left === "number" && typeof right === "number") return apply(left, right) ?? Number.NaN;
  const out: Series = new Map();
  const stamps = typeof left === "number" ? [...(right as Series).keys()] : [...left.keys()];
  for (const t of stamps) {
    const a = typeof left === "number" ? left : left.get(t);
    const b = typeof right === "number" ? right : right.get(t);
    if (a === undefined || b === undefined) continue;
    const v = apply(a, b);
    if (v !== undefined && Number.isFinite(v)) out.set(t, v);
  }
  return out;
}

/** The expression's series; `series(id)` gives another query's (an error when the id is unknown). */
export function evaluate(node: Node, series: (id: string) => Series, queryId: string): Series {
  const value = (n: Node): Value => {
    if (n.kind === "number") return n.value;
    if (n.kind === "id") return series(n.id);
    if (n.kind === "neg") return combine("-", 0, value(n.operand));
    return combine(n.op, value(n.left), value(n.right));
  };
  const result = value(node);
  if (typeof result === "number") throw invalid(queryId, "The expression must reference a metric");
  return result;
}
