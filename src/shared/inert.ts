/**
 * Text from AWS or a file made inert for a log line: what GitHub's runner or a terminal reads on stdout/stderr.
 *
 * The runner (actions/runner, ActionCommandManager.TryProcessCommand) splits output at \n, \r and \r\n and takes a
 * line as a workflow command when, after TrimStart(), it starts with "::" (ActionCommand.TryParseV2), or when it
 * holds "##[" anywhere, then a known command name and "]" (the legacy ActionCommand.TryParse, still the fallback).
 * .NET's culture-aware StartsWith/IndexOf skip ignorable code points, so a zero-width character breaks neither form.
 * Every character that could act is therefore shown as its JSON escape (`\n`, `\u001b`, `##\u005b`): the text stays
 * readable, and JSON on stdout keeps its values.
 */

/** Controls (C0, DEL, C1), format characters (bidi, zero-width), lone surrogates, line separators, ignorables. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
const LEGACY_COMMAND = /##\[/g;
/** Whatever TrimStart() or an ignorable-skipping comparison would pass over before a "::". */
const COMMAND_START = /^[\s\p{C}\p{M}\p{Z}]*::/u;
/** Put before a line that would start with "::", so that it starts with something visible instead. */
const COMMAND_GUARD = "» ";

const unit = (code: number) => `\\u${code.toString(16).padStart(4, "0")}`;

function shown(char: string): string {
  if (char === "\n") return "\\n";
  if (char === "\r") return "\\r";
  if (char === "\t") return " ";
  // Per UTF-16 unit, as JSON writes a character outside the BMP.
  return char.length > 1 ? unit(char.charCodeAt(0)) + unit(char.charCodeAt(1)) : unit(char.charCodeAt(0));
}

/** One value (a stop reason, a package name, an AWS error message) as one inert line. */
export function inert(value: unknown): string {
  return String(value ?? "")
    .replace(HIDDEN, shown)
    .replace(LEGACY_COMMAND, "##\\u005b");
}

/**
 * The last guard before a stream: each line of `text` inert, and a line that would start with "::" prefixed.
 * Our own line breaks stay line breaks (a \r is one to the runner, so it becomes \n).
 */
export function inertLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const safe = inert(line);
      return COMMAND_START.test(safe) ? `${COMMAND_GUARD}${safe}` : safe;
    })
    .join("\n");
}
