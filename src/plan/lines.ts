/**
 * A canonical value as lines, one per leaf, each starting with its JSON path (`containerDefinitions[app].image:
 * "web:v2"`): a diff over these lines shows, on every changed line, where the change is. Entries of keyed lists
 * are named by their key (`environment[RELEASE]`), so an added variable does not shift the others.
 */
import { type Json, keyOf } from "./normalise.js";

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PLAIN_NAME = /^[A-Za-z0-9_.:/@+-]+$/;

const member = (path: string, key: string) =>
  PLAIN_KEY.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
const entry = (path: string, name: string) => `${path}[${PLAIN_NAME.test(name) ? name : JSON.stringify(name)}]`;

export function linesOf(value: Json): string[] {
  const lines: string[] = [];
  const walk = (v: Json, path: string, list: string) => {
    if (Array.isArray(v)) {
      const key = keyOf(list);
      v.forEach((item, i) => {
        const name = key ? (item as Record<string, Json>)[key] : undefined;
        if (key && typeof name === "string" && item && typeof item === "object" && !Array.isArray(item)) {
          const { [key]: _named, ...rest } = item;
          const at = entry(path, name);
          if (Object.keys(rest).length === 0) lines.push(`${at}: {}`);
          else walk(rest, at, "");
        } else walk(item, `${path}[${i}]`, "");
      });
      return;
    }
    if (v !== null && typeof v === "object") {
      for (const [key, child] of Object.entries(v)) walk(child, member(path, key), key);
      return;
    }
    lines.push(`${path}: ${JSON.stringify(v)}`);
  };
  walk(value, "", "");
  return lines;
}
