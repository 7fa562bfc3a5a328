/** Durations as people write them (`90s`, `15m`, `1h30m`, `250ms`, or bare seconds) and as people read them (`1m05s`). */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration into milliseconds, or returns undefined when it is not one. A bare number means seconds. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return exact(Math.round(Number(value) * 1000));
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) return undefined;
  let total = 0;
  for (const part of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] as string] ?? 0);
  }
  return exact(Math.round(total));
}

/** Past 2^53 ms (285,000 years) a number is no longer exact, and a long enough one is Infinity: not a duration. */
function exact(ms: number): number | undefined {
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** `65_000` → `1m05s`; `500` → `0.5s`; `3_600_000` → `1h00m00s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000 && ms > 0) return `${Math.round(ms / 100) / 10}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h${pad(m)}m${pad(s)}s`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}
