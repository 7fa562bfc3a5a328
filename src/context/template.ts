/**
 * `${NAME}` templating, as canarycage does it, with two fixes: values are inserted JSON-escaped (a quote in a value
 * cannot change the JSON's structure) and `$${NAME}` keeps a literal `${NAME}`. The output has a size limit, counted
 * while it is built: a file of many `${BIG}` references must not fill the memory.
 */

export interface MissingVariable {
  name: string;
  line: number;
}

export interface Rendered {
  text: string;
  missing: MissingVariable[];
  /** The output would pass `maxBytes`: `text` is then empty. */
  tooLarge: boolean;
}

const PLACEHOLDER = /\$?\$\{([^}\n]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function renderTemplate(
  text: string,
  env: Record<string, string | undefined>,
  maxBytes = Number.POSITIVE_INFINITY,
): Rendered {
  const missing: MissingVariable[] = [];
  const parts: string[] = [];
  let bytes = 0;
  const add = (part: string): boolean => {
    bytes += Buffer.byteLength(part);
    parts.push(part);
    return bytes <= maxBytes;
  };
  let line = 1;
  let scanned = 0;
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [whole, name = ""] = match;
    const offset = match.index;
    for (; scanned < offset; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    // Own, string values only: `${constructor}` is not a variable of any environment.
    const found = NAME.test(name) && Object.hasOwn(env, name) ? env[name] : undefined;
    let value: string;
    if (whole.startsWith("$$")) value = whole.slice(1);
    else if (typeof found !== "string") {
      missing.push({ name, line });
      value = whole;
    } else value = JSON.stringify(found).slice(1, -1);
    if (!add(text.slice(last, offset)) || !add(value)) return { text: "", missing, tooLarge: true };
    last = offset + whole.length;
  }
  if (!add(text.slice(last))) return { text: "", missing, tooLarge: true };
  return { text: parts.join(""), missing, tooLarge: false };
}
