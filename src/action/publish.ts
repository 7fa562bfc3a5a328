/** What every command leaves behind: a JSON file, the job summary and the verdict annotation. */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CageEvent, Result } from "../engine/events.js";
import { escapeText } from "../report/escape.js";
import * as stepLog from "./log.js";
import { setOutputs } from "./outputs.js";

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
  if (result === "succeeded" || result === "planned" || result === "paused") {
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

/** The errors a user fixes in the workflow or the repository; each is raised before any AWS call. */
const BEFORE_AWS: Record<string, string> = {
  InputError: "An input of the step is not valid",
  DeployContextError: "The deploy context is not valid",
  IgnoreFileError: "The ignore file is not valid",
};

/**
 * A step that stopped before its command could publish: `result` is `failed` (every other output empty), so an
 * `if: always()` step can rely on it, and the summary says what went wrong, where, and the fix.
 */
export function publishStepError(env: Env, error: unknown, options: { summary: boolean; secrets: string[] }): void {
  setOutputs({ result: "failed" });
  if (!options.summary) return;
  const title = BEFORE_AWS[error instanceof Error ? error.name : ""];
  let message = errorMessage(error);
  for (const secret of options.secrets.filter((s) => s !== "")) message = message.split(secret).join("***");
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  // "the deploy context has 2 problems:" introduces the list of them.
  const intro = lines.length > 1 && lines[0]?.endsWith(":") ? [escapeText(lines.shift())] : [];
  const sections = [
    `### ${title ?? "The step stopped with an error"}`,
    title
      ? "> [!CAUTION]\n> The step stopped before it called AWS: nothing was changed."
      : "> [!CAUTION]\n> The step stopped with an error.",
    ...intro,
    lines.map((line) => `- ${escapeText(line)}`).join("\n"),
  ];
  writeSummary(env, `${sections.join("\n\n")}\n`);
}
