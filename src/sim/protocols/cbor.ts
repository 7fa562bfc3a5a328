/**
 * Smithy RPC v2 CBOR (CloudWatch as botocore speaks it): bodies are CBOR maps named by the model, timestamps
 * tag 1 (epoch seconds), blobs byte strings. The SDK's own CBOR coder (`@smithy/core/cbor`) reads and writes
 * the bytes; requests are brought to their JSON form so the awsJson reader checks them member by member.
 */
import { cbor, dateToTag } from "@smithy/core/cbor";
import { readJson } from "./json.js";
import { type NormalizedSchema, ShapeError, toBase64 } from "./schema.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A decoded CBOR value in the form the awsJson reader takes (tags unwrapped, bytes as base64). */
function asJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return toBase64(value);
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(asJson);
  if (isObject(value)) {
    if ("tag" in value && "value" in value && Object.getOwnPropertySymbols(value).length > 0)
      return asJson(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJson(v)]));
  }
  return value;
}

export function decodeCbor(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return {};
  try {
    return asJson(cbor.deserialize(bytes));
  } catch (e) {
    throw new ShapeError("malformed", `The request body is not valid CBOR: ${e instanceof Error ? e.message : e}`);
  }
}

export const readCbor = (ns: NormalizedSchema, payload: unknown): unknown => readJson(ns, payload ?? {}) ?? {};

/** An SDK-shaped output as CBOR-ready data; members the model does not know are dropped. */
function writeValue(ns: NormalizedSchema, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (ns.isStructSchema()) {
    if (!isObject(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const v = writeValue(member, value[name]);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (ns.isListSchema()) {
    const item = ns.getValueSchema();
    return Array.isArray(value) ? value.map((v) => writeValue(item, v) ?? null) : undefined;
  }
  if (ns.isMapSchema()) {
    const item = ns.getValueSchema();
    return isObject(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, writeValue(item, v)]))
      : undefined;
  }
  if (ns.isTimestampSchema()) return dateToTag(value instanceof Date ? value : new Date(value as string | number));
  return value;
}

export function cborBody(ns: NormalizedSchema, value: unknown): Uint8Array {
  return cbor.serialize(writeValue(ns, value) ?? {});
}

export function cborError(code: string, message: string): Uint8Array {
  return cbor.serialize({ __type: code, message });
}
