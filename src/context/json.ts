/** Strict JSON with positions: values for the engine, line and column for every error and JSON path. */
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";

export type JsonPath = (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface ParsedJson {
  value: unknown;
  tree: Node | undefined;
  text: string;
  /** Where a JSON path (its key, for object members) starts in the text. */
  positionOf(path: JsonPath): Position | undefined;
  syntaxErrors: { message: string; position: Position }[];
  duplicateKeys: { path: JsonPath; position: Position }[];
  /** Keys that name JavaScript's object machinery (`__proto__`, ...): never an ECS field, refused wherever they are. */
  forbiddenKeys: { path: JsonPath; position: Position }[];
}

/** No ECS input has these keys; in a plain object they would reach the prototype instead of the data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const SYNTAX_HINTS: Record<string, string> = {
  CommaExpected: "a comma is missing between two values",
  PropertyNameExpected: "a property name in double quotes was expected (is there a trailing comma?)",
  ValueExpected: "a value was expected (is there a trailing comma or an empty value?)",
  ColonExpected: "a colon is missing after a property name",
  CloseBraceExpected: "a closing } is missing",
  CloseBracketExpected: "a closing ] is missing",
  EndOfFileExpected: "there is more text after the JSON value",
  InvalidCommentToken: "JSON does not allow comments",
  UnexpectedEndOfString: "a string is not closed",
  InvalidSymbol: "this is not valid JSON here",
  InvalidCharacter: "a control character (a NUL, or a raw tab or line break) is inside a string; escape it",
};

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function formatPath(path: JsonPath): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${part}` : part;
  return out || "(top level)";
}

/** Objects without a prototype: a key is data, never an inherited member, whatever its name. */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case "object": {
      const obj: Record<string, unknown> = Object.create(null);
      for (const prop of node.children ?? []) {
        const [key, val] = prop.children ?? [];
        if (key && val) obj[key.value as string] = nodeValue(val);
      }
      return obj;
    }
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

type KeyFindings = Pick<ParsedJson, "duplicateKeys" | "forbiddenKeys">;

function findBadKeys(node: Node, path: JsonPath, text: string, out: KeyFindings): void {
  if (node.type === "object") {
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const [key, val] = prop.children ?? [];
      if (!key) continue;
      const name = key.value as string;
      const found = { path: [...path, name], position: positionAt(text, key.offset) };
      if (FORBIDDEN_KEYS.has(name)) out.forbiddenKeys.push(found);
      else if (seen.has(name)) out.duplicateKeys.push(found);
      seen.add(name);
      if (val) findBadKeys(val, [...path, name], text, out);
    }
  } else if (node.type === "array") {
    (node.children ?? []).forEach((child, i) => {
      findBadKeys(child, [...path, i], text, out);
    });
  }
}

export function parseJson(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const syntaxErrors = errors.map((e) => {
    const code = printParseErrorCode(e.error);
    return { message: SYNTAX_HINTS[code] ?? code, position: positionAt(text, e.offset) };
  });
  const keys: KeyFindings = { duplicateKeys: [], forbiddenKeys: [] };
  if (tree && syntaxErrors.length === 0) findBadKeys(tree, [], text, keys);
  return {
    value: tree ? nodeValue(tree) : undefined,
    tree,
    text,
    syntaxErrors,
    ...keys,
    positionOf(path) {
      if (!tree) return undefined;
      const node = findNodeAtLocation(tree, path);
      if (!node) return undefined;
      // For an object member, point at its key rather than its value.
      const anchor = node.parent?.type === "property" ? (node.parent.children?.[0] ?? node) : node;
      return positionAt(text, anchor.offset);
    },
  };
}
