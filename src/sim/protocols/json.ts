/** awsJson1_1 (ECS, ECR): JSON bodies named by the model, timestamps as epoch seconds, blobs as base64. */
import { fromBase64, type NormalizedSchema, requiredMembers, ShapeError, toBase64 } from "./schema.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function typeError(path: string, expected: string, value: unknown): ShapeError {
  const got = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  return new ShapeError("type", `${path} must be ${expected}, got ${got}`);
}

/** Reads a parsed JSON request body into the SDK's input shape; throws ShapeError when it does not fit. */
export function readJson(ns: NormalizedSchema, value: unknown, path = "input"): unknown {
  if (value === null || value === undefined) return undefined;
  if (ns.isStructSchema()) {
    if (!isObject(value)) throw typeError(path, "an object", value);
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const v = readJson(member, value[name], `${path}.${name}`);
      if (v !== undefined) out[name] = v;
    }
    for (const name of requiredMembers(ns)) {
      if (out[name] === undefined) throw new ShapeError("missing", `${path}.${name} is required`);
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) throw typeError(path, "a list", value);
    const item = ns.getValueSchema();
    return value.map((v, i) => readJson(item, v, `${path}[${i}]`));
  }
  if (ns.isMapSchema()) {
    if (!isObject(value)) throw typeError(path, "a map", value);
    const item = ns.getValueSchema();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readJson(item, v, `${path}.${k}`)]));
  }
  if (ns.isTimestampSchema()) {
    if (typeof value === "number") return new Date(value * 1000);
    if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value);
    throw typeError(path, "a timestamp", value);
  }
  if (ns.isBlobSchema()) {
    if (typeof value !== "string") throw typeError(path, "a base64 string", value);
    return fromBase64(value);
  }
  if (ns.isBooleanSchema()) {
    if (typeof value !== "boolean") throw typeError(path, "a boolean", value);
    return value;
  }
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    if (typeof value !== "number") throw typeError(path, "a number", value);
    return value;
  }
  if (ns.isStringSchema()) {
    if (typeof value !== "string") throw typeError(path, "a string", value);
    return value;
  }
  return value;
}

/** Output members a handler can also write as JSON text directly (a page of 1,000 findings), see withJsonText. */
const written = new WeakMap<object, () => string>();
const MARK = "\u0000json-text:";

/**
 * Marks `value`, a member of a handler's output, as having a faster encoding: `text()` must return exactly what
 * the model walk would write for it (a test proves it). Direct callers of the handler still see `value`.
 */
export function withJsonText<T extends object>(value: T, text: () => string): T {
  written.set(value, text);
  return value;
}

/**
 * Writes an SDK-shaped output as JSON-ready data; members the model does not know are dropped. With `texts`,
 * members marked by withJsonText become placeholders and their text is collected (see jsonBody).
 */
export function writeJson(ns: NormalizedSchema, value: unknown, texts?: string[]): unknown {
  if (value === null || value === undefined) return undefined;
  const text = texts && typeof value === "object" ? written.get(value) : undefined;
  if (text && texts) return `${MARK}${texts.push(text()) - 1}`;
  if (ns.isStructSchema()) {
    if (!isObject(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const v = writeJson(member, value[name], texts);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (ns.isListSchema()) {
    const item = ns.getValueSchema();
    return Array.isArray(value) ? value.map((v) => writeJson(item, v, texts) ?? null) : undefined;
  }
  if (ns.isMapSchema()) {
    const item = ns.getValueSchema();
    return isObject(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, writeJson(item, v, texts)]))
      : undefined;
  }
  if (ns.isTimestampSchema()) {
    const d = value instanceof Date ? value : new Date(value as string | number);
    return d.getTime() / 1000;
  }
  if (ns.isBlobSchema()) return value instanceof Uint8Array ? toBase64(value) : value;
  return value;
}

/** An output's JSON body: the model walk, with the text of members marked by withJsonText spliced in. */
export function jsonBody(ns: NormalizedSchema, value: unknown): string {
  const texts: string[] = [];
  const body = JSON.stringify(writeJson(ns, value, texts) ?? {});
  if (texts.length === 0) return body;
  return body.replace(/"\\u0000json-text:(\d+)"/g, (_match, i: string) => texts[Number(i)] ?? "null");
}
