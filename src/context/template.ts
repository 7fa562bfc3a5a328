/**
 * `${NAME}` templating, as canarycage does it, with two fixes: values are inserted JSON-escaped (a quote in a value
 * cannot change the JSON's structure) and `$${NAME}` keeps a literal `${NAME}`.
 */

export interface MissingVariable {
  name: string;
  line: number;
}

const PLACEHOLDER = /\$?\$\{([^}\n]*)\}/g;

export function renderTemplate(
  text: string,
  env: Record<string, string | undefined>,
): { text: string; missing: MissingVariable[] } {
  const missing: MissingVariable[] = [];
  let line = 1;
  let scanned = 0;
  const rendered = text.replace(PLACEHOLDER, (match, name: string, offset: number) => {
    for (; scanned < offset; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    if (match.startsWith("$$")) return match.slice(1);
    const value = env[name];
    if (value === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      missing.push({ name, line });
      return match;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  return { text: rendered, missing };
}
