import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  findIgnoreFile,
  IgnoreFileError,
  type IgnoreList,
  ignoreRuleFor,
  isExpired,
  parseIgnoreFile,
  readIgnoreFile,
} from "../../src/audit/ignore-file.js";

const YAML = `# accepted risks
ignores:
  - id: CVE-2024-0001
    reason: not reachable from the network
    expires: 2026-12-31
  - id: CVE-2024-0002
    package: openssl
    image: team/*
    reason: "waiting for the base image"
`;

describe("parseIgnoreFile", () => {
  it("reads entries with their line numbers", () => {
    expect(parseIgnoreFile(YAML, ".cage-audit-ignore.yml")).toEqual({
      file: ".cage-audit-ignore.yml",
      entries: [
        { id: "CVE-2024-0001", reason: "not reachable from the network", expires: "2026-12-31", line: 3 },
        { id: "CVE-2024-0002", package: "openssl", image: "team/*", reason: "waiting for the base image", line: 6 },
      ],
    });
  });

  it("reads the JSON form, and a bare list", () => {
    const json = `{\n  "ignores": [\n    { "id": "CVE-1", "reason": "r" }\n  ]\n}`;
    expect(parseIgnoreFile(json, "x.json").entries).toEqual([{ id: "CVE-1", reason: "r", line: 3 }]);
    expect(parseIgnoreFile("- id: CVE-2\n  reason: r\n", "x.yml").entries).toEqual([
      { id: "CVE-2", reason: "r", line: 1 },
    ]);
  });

  it.each(["", "# nothing yet\n", "ignores:\n", "ignores: []\n"])("reads %j as no entries", (text) => {
    expect(parseIgnoreFile(text, "f.yml").entries).toEqual([]);
  });

  it.each([
    ["ignores:\n  - id: CVE-1\n    reason: r\n    reason: s\n", 4, "Map keys must be unique"],
    ["ignores:\n  - id: CVE-1\n     reason: r\n", 2, "not valid YAML or JSON"],
    ['{ "ignores": [ { "id": "CVE-1", } ', 1, "not valid YAML or JSON"],
    ["ignores:\n  - id: CVE-1\n", 2, "has no 'reason'"],
    ["ignores:\n  - reason: r\n", 2, "has no 'id'"],
    ["ignores:\n  - id: CVE-1\n    reason: r\n    expires: next year\n", 2, "'expires' must be a date like 2026-12-31"],
    ["ignores:\n  - id: CVE-1\n    reason: r\n    expires: 2026-02-30\n", 2, "'expires' must be a date"],
    ["ignores:\n  - id: CVE-1\n    reason: r\n    expiry: 2026-01-01\n", 4, "unknown key 'expiry'"],
    ["ignores:\n  - id: CVE-1\n    reason: 42\n", 3, "'reason' must be a non-empty text"],
    ["ignores: CVE-1\n", 1, "'ignores' is not a list"],
    ["ignore:\n  - id: CVE-1\n", 1, "unknown top-level key 'ignore'"],
    ["ignores:\n  - CVE-1\n", 2, "an entry is not a mapping"],
  ])("rejects %j at line %d: %s", (text, line, problem) => {
    let error: unknown;
    try {
      parseIgnoreFile(text, ".cage-audit-ignore.yml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IgnoreFileError);
    const e = error as IgnoreFileError;
    expect(e.problems[0]).toMatchObject({ line, problem: expect.stringContaining(problem) });
    expect(e.message).toContain(`.cage-audit-ignore.yml:${line}: `);
    expect(e.message).toContain("Fix: ");
  });

  it("lists every problem at once", () => {
    const text = "ignores:\n  - id: CVE-1\n  - reason: r\n";
    expect(() => parseIgnoreFile(text, "f.yml")).toThrow(/f\.yml:2: .*\n.*f\.yml:3: /s);
  });
});

describe("readIgnoreFile", () => {
  it("reads a file from disk", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cage-ignore-"));
    const path = join(dir, ".cage-audit-ignore.yml");
    await writeFile(path, YAML);
    expect((await readIgnoreFile(path)).entries).toHaveLength(2);
  });

  it("finds the first ignore file in the folders given", async () => {
    const first = await mkdtemp(join(tmpdir(), "cage-ignore-"));
    const second = await mkdtemp(join(tmpdir(), "cage-ignore-"));
    await writeFile(join(second, ".cage-audit-ignore.json"), "[]");
    expect(await findIgnoreFile([first, second])).toBe(join(second, ".cage-audit-ignore.json"));
    expect(await findIgnoreFile([first])).toBeUndefined();
  });

  it("says so when the file does not exist", async () => {
    await expect(readIgnoreFile("/nonexistent/.cage-audit-ignore.yml")).rejects.toThrow(/does not exist/);
  });
});

describe("ignoreRuleFor", () => {
  const list: IgnoreList = parseIgnoreFile(YAML, "f.yml");
  const day = (iso: string) => Date.parse(iso);
  const subject = (id: string, packages: string[], imageNames: string[]) => ({ id, packages, imageNames });

  it.each([
    ["the id, before it expires", subject("CVE-2024-0001", ["any"], ["web"]), "2026-12-31T23:59:59Z", 3],
    ["the id in any case", subject("cve-2024-0001", ["any"], ["web"]), "2026-06-01T00:00:00Z", 3],
    ["nothing once expired", subject("CVE-2024-0001", ["any"], ["web"]), "2027-01-01T00:00:00Z", undefined],
    ["a package and image in scope", subject("CVE-2024-0002", ["openssl"], ["team/api"]), "2030-01-01T00:00:00Z", 6],
    [
      "nothing for another package",
      subject("CVE-2024-0002", ["libssl"], ["team/api"]),
      "2026-01-01T00:00:00Z",
      undefined,
    ],
    ["nothing for another image", subject("CVE-2024-0002", ["openssl"], ["web"]), "2026-01-01T00:00:00Z", undefined],
    ["nothing for another id", subject("CVE-2024-9999", ["openssl"], ["team/api"]), "2026-01-01T00:00:00Z", undefined],
  ])("matches %s", (_, s, now, line) => {
    expect(ignoreRuleFor(list, s, day(now))?.line).toBe(line);
  });

  it("treats an entry as expired from the day after its date, UTC", () => {
    const entry = { id: "x", reason: "r", expires: "2026-03-01", line: 1 };
    expect(isExpired(entry, day("2026-03-01T23:59:59.999Z"))).toBe(false);
    expect(isExpired(entry, day("2026-03-02T00:00:00Z"))).toBe(true);
    expect(isExpired({ id: "x", reason: "r", line: 1 }, day("2999-01-01T00:00:00Z"))).toBe(false);
  });
});
