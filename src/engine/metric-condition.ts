/**
 * The conditions of a metric check: `result <op> number`, joined by `and` / `or` (`and` binds tighter). A tiny
 * grammar read by a tokenizer, never evaluated as code, so a file cannot run anything.
 */

export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Comparison {
  op: Operator;
  value: number;
}

/** Any of the clauses holds; a clause holds when all its comparisons do. */
export interface Condition {
  text: string;
  clauses: Comparison[][];
}

const COMPARISON = /^\s*result\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?=\s|$)/;
const JOIN = /^\s+(and|or)(?=\s)/;

export const CONDITION_FORM = "result > 0.01, or comparisons joined by and / or: result < 0 or result >= 0.05";

/** The condition, or why it is not one (what was expected where). */
export function parseCondition(text: string): Condition | { error: string } {
  const clauses: Comparison[][] = [[]];
  let rest = text;
  for (;;) {
    const m = COMPARISON.exec(rest);
    if (!m) return { error: `expected 'result <op> number' (op: < <= > >= == !=) at '${rest.trim() || "the end"}'` };
    const value = Number(m[2]);
    if (!Number.isFinite(value)) return { error: `'${m[2]}' is not a finite number` };
    clauses.at(-1)?.push({ op: m[1] as Operator, value });
    rest = rest.slice(m[0].length);
    if (rest.trim() === "") return { text: text.trim(), clauses };
    const join = JOIN.exec(rest);
    if (!join) return { error: `expected 'and' or 'or' at '${rest.trim()}'` };
    if (join[1] === "or") clauses.push([]);
    rest = rest.slice(join[0].length);
  }
}

const COMPARE: Record<Operator, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

export function holds(condition: Condition, result: number): boolean {
  return condition.clauses.some((clause) => clause.every((c) => COMPARE[c.op](result, c.value)));
}

/** The condition with the value in place of `result`: `0.031 > 0.01`. */
export function comparisonText(condition: Condition, result: number): string {
  const shown = formatValue(result);
  return condition.clauses.map((clause) => clause.map((c) => `${shown} ${c.op} ${c.value}`).join(" and ")).join(" or ");
}

/** Up to 4 significant digits, without exponent noise for everyday values. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
