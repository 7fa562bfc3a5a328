/** A small JSON Schema (draft-07 subset) checker for world files: errors name the JSON path and suggest keys. */
import { suggestion } from "../../shared/did-you-mean.js";

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  $ref?: string;
  definitions?: Record<string, Schema>;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function pathOf(base: string, key: string | number): string {
  return typeof key === "number"
    ? `${base}[${key}]`
    : /^[A-Za-z_$][\w$]*$/.test(key)
      ? `${base}.${key}`
      : `${base}["${key}"]`;
}

/** Every problem of `value` against `schema`, as "JSON path: what is wrong". */
export function check(value: unknown, schema: Schema, root: Schema, path = "$"): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace("#/definitions/", "");
    return check(value, root.definitions?.[name] ?? {}, root, path);
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (schema.type) {
    const ok = schema.type === actual || (schema.type === "number" && actual === "integer");
    if (!ok)
      return [
        `${path}: expected ${schema.type === "integer" ? "an integer" : `a ${schema.type}`}, got ${actual === "array" || actual === "object" ? `an ${actual}` : JSON.stringify(value)}`,
      ];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(
      `${path}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${path}: must be at least ${schema.minimum}, got ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      problems.push(`${path}: must be at most ${schema.maximum}, got ${value}`);
  }
  if (typeof value === "string" && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      problems.push(...check(item, schema.items!, root, pathOf(path, i)));
    });
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (obj[key] === undefined) problems.push(`${path}: missing required key "${key}"`);
    }
    const known = Object.keys(schema.properties ?? {});
    for (const [key, child] of Object.entries(obj)) {
      if (child === undefined) continue;
      const sub = schema.properties?.[key];
      if (sub) problems.push(...check(child, sub, root, pathOf(path, key)));
      else if (schema.additionalProperties === false)
        problems.push(`${pathOf(path, key)}: unknown key${suggestion(key, known)}`);
      else if (typeof schema.additionalProperties === "object") {
        problems.push(...check(child, schema.additionalProperties, root, pathOf(path, key)));
      }
    }
  }
  return problems;
}
