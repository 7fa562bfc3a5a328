/** A full sample of an SDK shape from its schema: every member, nested lists and maps, timestamps, blobs. */
import type { NormalizedSchema } from "@smithy/core/schema";

export interface SampleValues {
  /** Items per list and entries per map. */
  count: number;
  date: Date;
  blob: Uint8Array;
  text: (member: string) => string;
}

export function schemaSample(ns: NormalizedSchema, values: SampleValues, name: string, depth = 0): unknown {
  const many = <T>(make: (i: number) => T): T[] => Array.from({ length: values.count }, (_, i) => make(i));
  if (ns.isStructSchema()) {
    if (depth > 12) return undefined;
    const out: Record<string, unknown> = {};
    for (const [member, schema] of ns.structIterator()) {
      const v = schemaSample(schema, values, member, depth + 1);
      if (v !== undefined) out[member] = v;
      if (ns.isUnionSchema() && v !== undefined) break;
    }
    return out;
  }
  if (ns.isListSchema()) {
    const item = schemaSample(ns.getValueSchema(), values, name, depth + 1);
    return item === undefined ? undefined : many(() => item);
  }
  if (ns.isMapSchema()) {
    const v = schemaSample(ns.getValueSchema(), values, name, depth + 1);
    return v === undefined ? undefined : Object.fromEntries(many((i) => [`k${i + 1}`, v]));
  }
  if (ns.isTimestampSchema()) return values.date;
  if (ns.isBlobSchema()) return values.blob;
  if (ns.isBooleanSchema()) return true;
  if (ns.isNumericSchema()) return 7;
  if (ns.isStringSchema()) return values.text(name);
  return undefined;
}
