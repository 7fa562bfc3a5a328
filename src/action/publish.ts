/** What every command leaves behind: a JSON file, the job summary and the verdict annotation. */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CageEvent, Result } from "../engine/events.js";
import * as stepLog from "./log.js";

type Env = Record<string, string | undefined>;

/** Writes `value` as JSON to a fresh file under RUNNER_TEMP (the runner cleans it) and returns the path. */
export function writeJsonFile(env: Env, name: string, value: unknown): string {
  const dir = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), "cage-"));
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

export function writeSummary(env: Env, markdown: string): void {
  if (!env.GITHUB_STEP_SUMMARY) {
    stepLog.info("No job summary: GITHUB_STEP_SUMMARY is not set (not running on GitHub Actions).");
    return;
  }
  // Appended directly: core.summary caches the file path of its first write, which a second run in one process
  // (the tests, the CLI's demo) must not inherit.
  appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
}

/** A notice for success; an error annotation and a failed step otherwise. */
export function announce(result: Result, title: string, message: string): void {
  if (result === "succeeded") {
    stepLog.notice(message, { title });
    return;
  }
  stepLog.error(message, { title });
  process.exitCode = 1;
}

/** The timeline as machine output: event times as ISO 8601 UTC. */
export function timelineJson(events: readonly CageEvent[]): unknown[] {
  return events.map((event) => ({ ...event, at: new Date(event.at).toISOString() }));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
