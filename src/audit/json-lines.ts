/** Where in a JSON text each value starts: the line of `containerDefinitions[i].image` for SARIF locations. */

/** JSON pointer (`/containerDefinitions/0/image`) → 1-based line of the value; empty when the text is not JSON. */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let pos = 0;
  let line = 1;

  const skipSpace = () => {
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === "\n") line += 1;
      else if (ch !== " " && ch !== "\t" && ch !== "\r") return;
      pos += 1;
    }
  };
  const readString = (): string => {
    const start = pos;
    pos += 1;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === "\\" ? 2 : 1;
    pos += 1;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (path: string): void => {
    skipSpace();
    lines.set(path, line);
    const ch = text[pos];
    if (ch === "{") {
      pos += 1;
      for (;;) {
        skipSpace();
        if (text[pos] === "}") break;
        if (text[pos] !== '"') throw new Error("expected a key");
        const key = readString();
        skipSpace();
        if (text[pos] !== ":") throw new Error("expected ':'");
        pos += 1;
        value(`${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
        skipSpace();
        if (text[pos] === ",") pos += 1;
        else if (text[pos] !== "}") throw new Error("expected ',' or '}'");
      }
      pos += 1;
    } else if (ch === "[") {
      pos += 1;
      for (let i = 0; ; i += 1) {
        skipSpace();
        if (text[pos] === "]") break;
        value(`${path}/${i}`);
        skipSpace();
        if (text[pos] === ",") pos += 1;
        else if (text[pos] !== "]") throw new Error("expected ',' or ']'");
      }
      pos += 1;
    } else if (ch === '"') {
      readString();
    } else {
      const match = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos, pos + 64));
      if (!match) throw new Error("unexpected value");
      pos += match[0].length;
    }
  };

  try {
    value("");
  } catch {
    return new Map();
  }
  return lines;
}

/** Container name → the line its `image` is declared on, in a task-definition.json text. */
export function imageLines(taskDefinitionText: string): Map<string, number> {
  const result = new Map<string, number>();
  const lines = jsonLines(taskDefinitionText);
  if (lines.size === 0) return result;
  const parsed = JSON.parse(taskDefinitionText) as { containerDefinitions?: { name?: string }[] };
  (parsed.containerDefinitions ?? []).forEach((c, i) => {
    const line = lines.get(`/containerDefinitions/${i}/image`);
    if (c?.name !== undefined && line !== undefined) result.set(c.name, line);
  });
  return result;
}
