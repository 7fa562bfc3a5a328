/**
 * The ignore file (`.cage-audit-ignore.yml`, `.yaml` or `.json`): accepted vulnerabilities, each with a reason
 * and an optional expiry date, optionally scoped to a package or an image. Parsed with positions so every
 * problem names its file and line.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { readRegularFile } from "../inputs/read-file.js";
import { workspaceEscape } from "../inputs/workspace.js";

export const IGNORE_FILE_NAMES = [".cage-audit-ignore.yml", ".cage-audit-ignore.yaml", ".cage-audit-ignore.json"];

export interface IgnoreEntry {
  /** A vulnerability id, e.g. `CVE-2024-3094`; compared case-insensitively. */
  id: string;
  /** Only findings in this package (`*` matches any run of characters). */
  package?: string;
  /** Only findings in this image: a repository name, `registry/repository`, or a full reference; `*` allowed. */
  image?: string;
  reason: string;
  /** `YYYY-MM-DD`: the entry ignores through the end of that day (UTC), and stops ignoring after it. */
  expires?: string;
  /** 1-based line of the entry in its file. */
  line: number;
}

export interface IgnoreList {
  file: string;
  entries: IgnoreEntry[];
}

export interface IgnoreProblem {
  line: number;
  problem: string;
  fix: string;
}

/** A malformed ignore file: every problem with its line and fix. */
export class IgnoreFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: IgnoreProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}: ${p.problem}. Fix: ${p.fix}`).join("\n"));
    this.name = "IgnoreFileError";
  }
}

const KEYS = ["id", "package", "image", "reason", "expires"];
const EXAMPLE = "ignores:\n  - id: CVE-2024-3094\n    reason: not reachable\n    expires: 2026-12-31";
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** Parses ignore-file text (YAML, of which JSON is a subset); throws IgnoreFileError listing every problem. */
export function parseIgnoreFile(text: string, file: string): IgnoreList {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined, fallback = 1) =>
    node?.range ? lines.linePos(node.range[0]).line : fallback;
  const problems: IgnoreProblem[] = doc.errors.map((e) => ({
    line: e.linePos?.[0]?.line ?? 1,
    problem: `it is not valid YAML or JSON (${e.message.split("\n")[0]})`,
    fix: `correct the syntax; the expected form is:\n${EXAMPLE}`,
  }));
  if (problems.length > 0) throw new IgnoreFileError(file, problems);

  let list: Node | null | undefined = doc.contents;
  if (isMap(list)) {
    for (const pair of list.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "?";
      if (key === "ignores" || key === "version") continue;
      problems.push({
        line: lineOf(pair.key as Node),
        problem: `unknown top-level key '${key}'`,
        fix: "the file has one key, 'ignores', holding a list of entries",
      });
    }
    list = list.get("ignores", true) as Node | undefined;
  }
  if (problems.length > 0) throw new IgnoreFileError(file, problems);
  if (list === null || list === undefined || (isScalar(list) && list.value === null)) return { file, entries: [] };
  if (!isSeq(list)) {
    throw new IgnoreFileError(file, [
      { line: lineOf(list), problem: "'ignores' is not a list", fix: `write a list of entries:\n${EXAMPLE}` },
    ]);
  }
  const entries: IgnoreEntry[] = [];
  for (const item of list.items) {
    const line = lineOf(item as Node);
    if (!isMap(item)) {
      problems.push({ line, problem: "an entry is not a mapping", fix: `write each entry as keys:\n${EXAMPLE}` });
      continue;
    }
    const fields: Record<string, string> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "?";
      const keyLine = lineOf(pair.key as Node, line);
      if (!KEYS.includes(key)) {
        problems.push({ line: keyLine, problem: `unknown key '${key}'`, fix: `use only ${KEYS.join(", ")}` });
        continue;
      }
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      if (typeof value !== "string" || value.trim() === "") {
        problems.push({ line: keyLine, problem: `'${key}' must be a non-empty text`, fix: `quote it: ${key}: "…"` });
        continue;
      }
      fields[key] = value.trim();
    }
    if (!fields.id)
      problems.push({ line, problem: "an entry has no 'id'", fix: "add the vulnerability id: id: CVE-…" });
    if (!fields.reason) {
      problems.push({ line, problem: `the entry ${fields.id ?? ""} has no 'reason'`, fix: "say why it is accepted" });
    }
    if (fields.expires !== undefined && !isDate(fields.expires)) {
      problems.push({
        line,
        problem: `'expires' must be a date like 2026-12-31, got '${fields.expires}'`,
        fix: "write the last day the entry applies as YYYY-MM-DD",
      });
    }
    if (!fields.id || !fields.reason) continue;
    const entry: IgnoreEntry = { id: fields.id, reason: fields.reason, line };
    if (fields.package) entry.package = fields.package;
    if (fields.image) entry.image = fields.image;
    if (fields.expires) entry.expires = fields.expires;
    entries.push(entry);
  }
  if (problems.length > 0) throw new IgnoreFileError(file, problems);
  return { file, entries };
}

const MAX_BYTES = 1024 * 1024;
const WHY: Record<string, string> = {
  missing: "it does not exist",
  folder: "it is a folder",
  "not-regular": "it is not a regular file (a FIFO, device or socket)",
  "too-large": "it is over 1 MiB",
};

/**
 * Reads and parses an ignore file; a missing or unreadable file is an IgnoreFileError too. With a workspace, a file
 * in it that links out of it is refused unread, so nothing of what it points at can reach an error message.
 */
export async function readIgnoreFile(path: string, options: { workspace?: string } = {}): Promise<IgnoreList> {
  const refuse = (why: string): never => {
    throw new IgnoreFileError(path, [
      { line: 1, problem: `the ignore file cannot be read: ${why}`, fix: "check the path, or drop the setting" },
    ]);
  };
  if (options.workspace !== undefined && workspaceEscape(options.workspace, path) === "link") {
    refuse("it is a link that leads outside the workspace, so it was not read; put the file itself there");
  }
  const read = readRegularFile(path, MAX_BYTES);
  if (!read.ok) return refuse(read.why === "unreadable" ? read.code : (WHY[read.why] ?? read.why));
  return parseIgnoreFile(read.bytes.toString("utf8"), path);
}

/** The first ignore file found in the folders, in order (e.g. the deploy context, then the repository root). */
export async function findIgnoreFile(dirs: string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    for (const name of IGNORE_FILE_NAMES) {
      const path = join(dir, name);
      const found = await access(path).then(
        () => true,
        () => false,
      );
      if (found) return path;
    }
  }
  return undefined;
}

/** The first millisecond at which an entry no longer ignores, or undefined when it never expires. */
export function expiryOf(entry: IgnoreEntry): number | undefined {
  return entry.expires ? Date.parse(`${entry.expires}T00:00:00Z`) + 86_400_000 : undefined;
}

export function isExpired(entry: IgnoreEntry, now: number): boolean {
  const end = expiryOf(entry);
  return end !== undefined && now >= end;
}

function glob(pattern: string, text: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "i").test(text);
}

export interface IgnoreSubject {
  id: string;
  packages: string[];
  /** Names the image may be called by: repository, registry/repository, the full reference. */
  imageNames: string[];
}

/** The live (unexpired) entry that ignores a finding, if any. */
export function ignoreRuleFor(list: IgnoreList | undefined, subject: IgnoreSubject, now: number) {
  return list?.entries.find(
    (e) =>
      e.id.toLowerCase() === subject.id.toLowerCase() &&
      !isExpired(e, now) &&
      (e.package === undefined || subject.packages.some((p) => glob(e.package as string, p))) &&
      (e.image === undefined || subject.imageNames.some((n) => glob(e.image as string, n))),
  );
}
