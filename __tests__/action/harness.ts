/**
 * Runs the action's entry functions in-process as the runner would: INPUT_* variables from action.yml's defaults plus
 * the given inputs, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE / GITHUB_PATH as temp files read back after.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { parse } from "yaml";

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}

export const actionYml = parse(readFileSync(join(import.meta.dirname, "../../action.yml"), "utf8")) as ActionYml;

export interface StepRun {
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  path: string;
  /** Workflow commands and log lines written to stdout. */
  stdout: string;
  exitCode: number;
  dir: string;
}

/** `name<<delimiter\nvalue\ndelimiter` entries of a file command. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(pattern)) values[m[1] as string] = m[3] as string;
  return values;
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");

export async function runStep(
  entry: () => Promise<void>,
  inputs: Record<string, string>,
  opts: { env?: Record<string, string>; state?: Record<string, string>; dir?: string } = {},
): Promise<StepRun> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "cage-step-"));
  const files = {
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
    GITHUB_STATE: join(dir, "state"),
    GITHUB_PATH: join(dir, "path"),
  };
  for (const file of Object.values(files)) writeFileSync(file, "");
  const env: Record<string, string> = { ...files, RUNNER_TEMP: dir, ...opts.env };
  for (const [name, spec] of Object.entries(actionYml.inputs)) {
    const fallback = /^\$\{\{.*\}\}$/.test(spec.default ?? "") ? "ghs_fake-token-for-tests" : (spec.default ?? "");
    env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? fallback;
  }
  for (const [name, value] of Object.entries(opts.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);

  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const exitBefore = process.exitCode;
  process.exitCode = undefined;
  try {
    await entry();
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = exitBefore;
  return {
    outputs: parseFileCommand(read(files.GITHUB_OUTPUT)),
    state: parseFileCommand(read(files.GITHUB_STATE)),
    summary: read(files.GITHUB_STEP_SUMMARY),
    path: read(files.GITHUB_PATH),
    stdout,
    exitCode,
    dir,
  };
}
