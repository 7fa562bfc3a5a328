/** A small JSON Schema (draft-07 subset) checker for world files: errors name the JSON path and suggest keys. */

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

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cur = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function didYouMean(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const prefix = known.find((k) => k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()));
  if (prefix && Math.min(prefix.length, key.length) >= 4) return ` (did you mean "${prefix}"?)`;
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.k}"?)` : "";
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
        problems.push(`${pathOf(path, key)}: unknown key${didYouMean(key, known)}`);
      else if (typeof schema.additionalProperties === "object") {
        problems.push(...check(child, schema.additionalProperties, root, pathOf(path, key)));
      }
    }
  }
  return problems;
}
