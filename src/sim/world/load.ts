/** Loading a world file: validate, pick a variant, check references, then build the world. */
import { readFileSync } from "node:fs";
import { suggestion } from "../../shared/did-you-mean.js";
import { danglingReferences } from "./refs.js";
import type { WorldSpec } from "./spec.js";
import { check, type Schema } from "./validate.js";
import schemaJson from "./world.schema.json" with { type: "json" };

export const worldSchema = schemaJson as Schema;

export class WorldFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `world file ${source} is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}\nFix the file (its JSON Schema is src/sim/world/world.schema.json) and load it again.`,
    );
    this.name = "WorldFileError";
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Objects merge key by key; lists and values replace. Only own keys count, and keys are defined rather than
 * assigned, so a key such as `__proto__` stays a plain key.
 */
export function mergeOver<T>(base: T, change: unknown): T {
  if (!isObject(base) || !isObject(change)) return change as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(change)) {
    const value = Object.hasOwn(out, k) ? mergeOver(out[k], v) : v;
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/** The named variant's change, when `variant` is one of the world's own variant names (not `__proto__`). */
export function variantOf(spec: WorldSpec, variant: string): NonNullable<WorldSpec["variants"]>[string] | undefined {
  const variants = spec.variants;
  return variants && Object.hasOwn(variants, variant) ? variants[variant] : undefined;
}

/** The validated world spec of `obj`, with `variant` merged over it. */
export function specOf(obj: unknown, source: string, variant?: string): WorldSpec {
  const problems = check(obj, worldSchema, worldSchema);
  if (problems.length > 0) throw new WorldFileError(source, problems);
  const base = obj as WorldSpec;
  let spec: WorldSpec = { ...base, variants: undefined };
  if (variant !== undefined) {
    const change = variantOf(base, variant);
    if (!change) {
      const known = Object.keys(base.variants ?? {});
      throw new WorldFileError(source, [
        `$.variants: no variant "${variant}"${suggestion(variant, known)}; known: ${known.join(", ") || "none"}`,
      ]);
    }
    spec = mergeOver(spec, { ...change, description: change.description ?? spec.description });
  }
  const dangling = danglingReferences(spec);
  if (dangling.length > 0) throw new WorldFileError(variant ? `${source}#${variant}` : source, dangling);
  return spec;
}

/** Reads `path`, or `path#variant`. */
export function readWorldFile(pathWithVariant: string): { obj: unknown; source: string; variant?: string } {
  const hash = pathWithVariant.lastIndexOf("#");
  const path = hash > 0 ? pathWithVariant.slice(0, hash) : pathWithVariant;
  const variant = hash > 0 ? pathWithVariant.slice(hash + 1) : undefined;
  const text = readFileSync(path, "utf8");
  try {
    return { obj: JSON.parse(text), source: path, variant };
  } catch (e) {
    throw new WorldFileError(path, [`$: not valid JSON: ${(e as Error).message}`]);
  }
}
