/**
 * Checks a deploy-context value against the SDK's model of its API input: unknown keys, wrong types, missing members,
 * values outside an enum. Every lookup by key is an own-property lookup, so no key name reaches inherited members.
 */
import { enumValuesOf } from "../aws/enums.js";
import { requiredMembers, type Schema } from "../aws/schemas.js";
import { didYouMean } from "../shared/did-you-mean.js";
import type { JsonPath } from "./json.js";

export interface Problem {
  path: JsonPath;
  message: string;
}

const MAX_DEPTH = 64;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  const shown = JSON.stringify(value);
  const text = shown.length > 40 ? `${shown.slice(0, 37)}...` : shown;
  return `a ${typeof value} (${text})`;
}

function expected(schema: Schema): string | undefined {
  if (schema.isStructSchema() || schema.isMapSchema()) return "an object";
  if (schema.isListSchema()) return "a list";
  if (schema.isBooleanSchema()) return "true or false";
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) return "a number";
  if (schema.isStringSchema() || schema.isBlobSchema()) return "a string";
  if (schema.isTimestampSchema()) return "a timestamp";
  return undefined;
}

function matches(schema: Schema, value: unknown): boolean {
  if (schema.isStructSchema() || schema.isMapSchema()) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }
  if (schema.isListSchema()) return Array.isArray(value);
  if (schema.isBooleanSchema()) return typeof value === "boolean";
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) {
    return typeof value === "number";
  }
  if (schema.isStringSchema() || schema.isBlobSchema()) return typeof value === "string";
  if (schema.isTimestampSchema()) return typeof value === "string" || typeof value === "number";
  return true;
}

function enumProblem(value: string, allowed: readonly string[]): string {
  const hint = didYouMean(value, [...allowed]);
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return `${shown} is not an allowed value; ${hint ? `did you mean "${hint}"? ` : ""}ECS accepts ${allowed.join(", ")}`;
}

export function validateAgainst(
  schema: Schema,
  value: unknown,
  options: { optionalTopLevel?: string[] } = {},
): Problem[] {
  const problems: Problem[] = [];
  /** `allowed`: the enum of the member being walked (for a list member, of its items). */
  const walk = (s: Schema, v: unknown, path: JsonPath, depth: number, allowed?: readonly string[]): void => {
    if (depth > MAX_DEPTH) {
      problems.push({ path, message: `nested more than ${MAX_DEPTH} levels deep; no ECS input is` });
      return;
    }
    if (v === null) {
      problems.push({ path, message: `is null; remove the key or give ${expected(s) ?? "a value"}` });
      return;
    }
    if (!matches(s, v)) {
      problems.push({ path, message: `expected ${expected(s)}, got ${describe(v)}` });
      return;
    }
    if (allowed && typeof v === "string" && !allowed.includes(v)) {
      problems.push({ path, message: enumProblem(v, allowed) });
      return;
    }
    if (s.isStructSchema()) {
      const members = s.getMemberSchemas();
      const names = Object.keys(members);
      const obj = v as Record<string, unknown>;
      for (const [key, child] of Object.entries(obj)) {
        if (!Object.hasOwn(members, key)) {
          const hint = didYouMean(key, names);
          const fix = hint ? `did you mean "${hint}"?` : `known keys here: ${names.join(", ")}`;
          problems.push({ path: [...path, key], message: `unknown key; ${fix}` });
          continue;
        }
        walk(members[key] as Schema, child, [...path, key], depth + 1, enumValuesOf(s.getName(), key));
      }
      const optional = depth === 0 ? (options.optionalTopLevel ?? []) : [];
      for (const name of requiredMembers(s)) {
        if (!Object.hasOwn(obj, name) && !optional.includes(name)) {
          problems.push({ path: [...path, name], message: "is required but missing" });
        }
      }
    } else if (s.isListSchema()) {
      (v as unknown[]).forEach((item, i) => {
        walk(s.getValueSchema(), item, [...path, i], depth + 1, allowed);
      });
    } else if (s.isMapSchema()) {
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        walk(s.getValueSchema(), item, [...path, key], depth + 1);
      }
    }
  };
  walk(schema, value, [], 0);
  return problems;
}
