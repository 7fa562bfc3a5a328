/** Small helpers over the SDK's `NormalizedSchema` shared by the protocol codecs. */
import { NormalizedSchema } from "@smithy/core/schema";
import type { OperationSchema } from "../models.js";

export { NormalizedSchema };

export const inputOf = (op: OperationSchema): NormalizedSchema => NormalizedSchema.of(op[4]() as any);
export const outputOf = (op: OperationSchema): NormalizedSchema => NormalizedSchema.of(op[5]() as any);

/** Struct schemas list their required members first and record how many there are at index 6. */
export function requiredMembers(ns: NormalizedSchema): string[] {
  const raw = ns.getSchema() as unknown as unknown[];
  const count = typeof raw[6] === "number" ? raw[6] : 0;
  const names = Array.isArray(raw[4]) ? (raw[4] as string[]) : [];
  return names.slice(0, count);
}

/** A request that does not fit the operation's input shape. */
export class ShapeError extends Error {
  constructor(
    readonly kind: "malformed" | "missing" | "type",
    message: string,
  ) {
    super(message);
  }
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Parses a scalar sent as text (query protocols) into the type the schema says. */
export function scalarFromText(ns: NormalizedSchema, text: string, path: string): unknown {
  if (ns.isStringSchema()) return text;
  if (ns.isBooleanSchema()) {
    if (text === "true" || text === "false") return text === "true";
    throw new ShapeError("type", `${path} must be a boolean, got '${text}'`);
  }
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    const n = Number(text);
    if (text.trim() === "" || Number.isNaN(n)) throw new ShapeError("type", `${path} must be a number, got '${text}'`);
    return n;
  }
  if (ns.isTimestampSchema()) {
    const d = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
    if (Number.isNaN(d.getTime())) throw new ShapeError("type", `${path} must be a timestamp, got '${text}'`);
    return d;
  }
  if (ns.isBlobSchema()) return fromBase64(text);
  return text;
}
