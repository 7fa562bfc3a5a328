/**
 * A unified diff of two lists of lines, over their longest common subsequence. The lines are a task definition's
 * or a service's leaves (lines.ts); the common head and tail are set aside first, and a middle too large for the
 * quadratic table (a 1 MiB file of changes) is shown as removed, then added, which is still a correct diff.
 */

/** Cells of the LCS table at most: 4 MiB of it. */
const MAX_CELLS = 1 << 20;

export interface DiffLine {
  kind: " " | "-" | "+";
  text: string;
}

export interface Hunk {
  /** 1-based first line and count on each side, as `@@ -a,b +c,d @@` says them. */
  from: { start: number; count: number };
  to: { start: number; count: number };
  lines: DiffLine[];
}

/** Every line of both sides, in order: the kept ones once, each removal before the addition that replaces it. */
export function editScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const kept = (lines: readonly string[]) => lines.map((text): DiffLine => ({ kind: " ", text }));
  return [
    ...kept(a.slice(0, head)),
    ...middleScript(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...kept(a.slice(a.length - tail)),
  ];
}

function middleScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    return [...a.map((text): DiffLine => ({ kind: "-", text })), ...b.map((text): DiffLine => ({ kind: "+", text }))];
  }
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: " ", text: a[i++]! });
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: "-", text: a[i++]! });
    else out.push({ kind: "+", text: b[j++]! });
  }
  while (i < n) out.push({ kind: "-", text: a[i++]! });
  while (j < m) out.push({ kind: "+", text: b[j++]! });
  return out;
}

/** The changes with `context` unchanged lines around each; none when both sides are the same. */
export function hunksOf(a: readonly string[], b: readonly string[], context = 3): Hunk[] {
  const script = editScript(a, b);
  const changed = script.flatMap((line, k) => (line.kind === " " ? [] : [k]));
  const hunks: Hunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const first = Math.max(0, changed[k]! - context);
    let last = changed[k]!;
    // Changes with at most twice the context between them share one hunk, as in GNU diff.
    while (k + 1 < changed.length && changed[k + 1]! - last - 1 <= 2 * context) last = changed[++k]!;
    k++;
    const end = Math.min(script.length, last + context + 1);
    hunks.push(hunkOf(script, first, end));
  }
  return hunks;
}

function hunkOf(script: DiffLine[], first: number, end: number): Hunk {
  let fromLine = 1;
  let toLine = 1;
  for (const line of script.slice(0, first)) {
    if (line.kind !== "+") fromLine++;
    if (line.kind !== "-") toLine++;
  }
  const lines = script.slice(first, end);
  const fromCount = lines.filter((l) => l.kind !== "+").length;
  const toCount = lines.filter((l) => l.kind !== "-").length;
  return {
    // As GNU diff writes an empty side: the line before it.
    from: { start: fromCount === 0 ? fromLine - 1 : fromLine, count: fromCount },
    to: { start: toCount === 0 ? toLine - 1 : toLine, count: toCount },
    lines,
  };
}
