/**
 * A step's stdout/stderr read as GitHub's runner reads it (actions/runner ActionCommandManager): lines split at
 * \n, \r and \r\n; a line is a command when, past leading whitespace (and characters a culture-aware comparison
 * ignores), it starts with "::name", or when it holds "##[name" anywhere (the legacy form). And the hostile text
 * that tries to make it one.
 */

/** What anyone with ecs:StopTask can write as a stop reason: workflow commands, an OSC 8 link and an ANSI colour. */
export const PAYLOAD =
  "ops\n::error title=Deploy OK::pwned\n::add-mask::web\n::stop-commands::x " +
  "\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 \u001b[31mred ##[add-mask]web \u202eevil";

/** The payload's words, which must still be readable in what is printed. */
export const PAYLOAD_WORDS = ["pwned", "Deploy OK", "add-mask", "stop-commands", "evil.example", "red"];

/** The payload's first line break and escape as printed: inert, but visible. */
export const PAYLOAD_INERT = ["ops\\n::error title=Deploy OK::pwned", "\\u001b]8;;https://evil.example/\\u0007"];

export interface RunnerCommand {
  line: string;
  name: string;
  properties: string;
  legacy: boolean;
}

const IGNORED_START = /^[\s\p{C}\p{M}\p{Z}]*/u;

/** Every line the runner would try as a workflow command, known name or not. */
export function runnerCommands(log: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  for (const line of log.split(/\r\n|\r|\n/)) {
    const start = line.replace(IGNORED_START, "");
    const end = start.startsWith("::") ? start.indexOf("::", 2) : -1;
    if (end > 0) {
      const info = start.slice(2, end);
      const space = info.indexOf(" ");
      const name = space < 0 ? info : info.slice(0, space);
      commands.push({ line, name, properties: space < 0 ? "" : info.slice(space + 1), legacy: false });
      continue;
    }
    const legacy = line.indexOf("##[");
    const close = legacy >= 0 ? line.indexOf("]", legacy) : -1;
    if (close > legacy) {
      const info = line.slice(legacy + 3, close);
      const space = info.indexOf(" ");
      commands.push({ line, name: space < 0 ? info : info.slice(0, space), properties: "", legacy: true });
    }
  }
  return commands;
}

/** Control characters (C0 but the line feed, DEL, C1), bidi controls and other invisible format characters. */
export function hiddenCharacters(log: string): string[] {
  return [...log.matchAll(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu)]
    .map((m) => m[0])
    .filter((c) => c !== "\n")
    .map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`);
}

/** What one step of the action issues itself: groups, warnings, one verdict annotation, the token's mask. */
export const STEP_COMMANDS: Record<string, number | "any"> = {
  group: "any",
  endgroup: "any",
  warning: "any",
  error: 1,
  notice: 1,
  "add-mask": 1,
};

/**
 * What in a log could act: a command whose name is not in `ours` (with the count allowed, when given), any
 * legacy command, any hidden character.
 */
export function actingParts(log: string, ours: Record<string, number | "any"> = {}): string[] {
  const problems: string[] = [];
  const seen: Record<string, number> = {};
  for (const c of runnerCommands(log)) {
    const allowed = ours[c.name];
    seen[c.name] = (seen[c.name] ?? 0) + 1;
    if (c.legacy || allowed === undefined) problems.push(`a command line: ${JSON.stringify(c.line.slice(0, 120))}`);
  }
  for (const [name, count] of Object.entries(seen)) {
    const allowed = ours[name];
    if (typeof allowed === "number" && count > allowed) problems.push(`${count} '::${name}' lines, ${allowed} issued`);
  }
  const hidden = hiddenCharacters(log);
  if (hidden.length > 0) problems.push(`hidden characters: ${[...new Set(hidden)].join(" ")}`);
  return problems;
}
