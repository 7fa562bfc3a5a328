/**
 * The action writes workflow commands itself (src/action/workflow-commands.ts) instead of loading @actions/core:
 * every call it makes must leave exactly what @actions/core leaves on stdout and in the runner's files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as toolkit from "@actions/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as ours from "../../src/action/workflow-commands.js";

type Core = typeof ours;

const calls: [string, (core: Core) => unknown][] = [
  ["info", (core) => core.info("plain line: 100% done, a:b")],
  ["error with a title", (core) => core.error("failed:\nsee 50%\r\n", { title: "Rollout of web, v2: failed" })],
  ["error from an Error", (core) => core.error(new Error("boom"))],
  ["warning with file and lines", (core) => core.warning("w", { file: "a,b.json", startLine: 3, endLine: 4 })],
  ["warning with columns", (core) => core.warning("w", { startColumn: 1, endColumn: 9 })],
  ["notice with empty properties", (core) => core.notice("n", {})],
  ["notice with only undefined properties", (core) => core.notice("n", { title: undefined })],
  ["setFailed", (core) => core.setFailed("the step failed")],
  ["setSecret", (core) => core.setSecret("s3cr%t")],
  ["group", (core) => core.group("Deploy context ./ctx", async () => core.info("inside"))],
  ["start and end a group", (core) => [core.startGroup("phase: detail"), core.endGroup()]],
  ["setOutput to GITHUB_OUTPUT", (core) => core.setOutput("result", "multi\nline")],
  ["setOutput of a number", (core) => core.setOutput("count", 3)],
  ["saveState to GITHUB_STATE", (core) => core.saveState("cleanup", '{"tasks":[]}')],
  ["addPath to GITHUB_PATH", (core) => core.addPath("/opt/cage")],
];

interface Trace {
  stdout: string;
  files: Record<string, string>;
  exitCode: typeof process.exitCode;
  path: string | undefined;
}

async function trace(core: Core, call: (core: Core) => unknown, withFiles: boolean): Promise<Trace> {
  const dir = mkdtempSync(join(tmpdir(), "cage-commands-"));
  const names = ["OUTPUT", "STATE", "PATH"] as const;
  for (const name of names) {
    writeFileSync(join(dir, name), "");
    vi.stubEnv(`GITHUB_${name}`, withFiles ? join(dir, name) : "");
  }
  vi.stubEnv("PATH", "/usr/bin");
  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const exitCode = process.exitCode;
  let after: Trace["exitCode"];
  try {
    await call(core);
  } finally {
    write.mockRestore();
    after = process.exitCode;
    process.exitCode = exitCode;
  }
  const files = Object.fromEntries(names.map((name) => [name, readFileSync(join(dir, name), "utf8")]));
  const anonymous = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]+/g, "ghadelimiter_X");
  return {
    stdout: anonymous(stdout),
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, anonymous(v)])),
    exitCode: after,
    path: process.env.PATH,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe.each([
  ["with the runner's files", true],
  ["without them (older runners)", false],
])("workflow commands %s", (_name, withFiles) => {
  it.each(calls)("%s writes what @actions/core writes", async (_what, call) => {
    const expected = await trace(toolkit as unknown as Core, call, withFiles);
    const actual = await trace(ours, call, withFiles);
    expect(actual).toEqual(expected);
    expect(`${actual.stdout}${Object.values(actual.files).join("")}`).not.toBe("");
  });
});

describe("inputs and state", () => {
  it.each([
    ["region", "  us-east-1 \n", "us-east-1"],
    ["github token", "abc", "abc"],
    ["missing", undefined, ""],
  ])("getInput(%j) reads and trims as @actions/core does", (name, value, expected) => {
    if (value !== undefined) vi.stubEnv(`INPUT_${name.replace(/ /g, "_").toUpperCase()}`, value);
    expect(ours.getInput(name)).toBe(expected);
    expect(ours.getInput(name)).toBe(toolkit.getInput(name));
  });

  it("getState reads STATE_* as @actions/core does", () => {
    vi.stubEnv("STATE_cleanup", "x");
    expect(ours.getState("cleanup")).toBe("x");
    expect(ours.getState("other")).toBe(toolkit.getState("other"));
  });
});
