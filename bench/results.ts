/**
 * What a benchmark file hands to scripts/bench.mjs: titled tables for BENCHMARKS.md, and named deterministic
 * figures that the fast mode compares with bench/baseline.json. Written as JSON under .tmp/bench/.
 */
import { mkdirSync, writeFileSync } from "node:fs";

export interface Table {
  title: string;
  /** One paragraph: what was measured and how. */
  about: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface BenchResult {
  /** Orders the sections of BENCHMARKS.md. */
  order: number;
  section: string;
  tables: Table[];
  /** Deterministic figures; larger is worse for every one of them. */
  figures?: Record<string, number>;
  notes?: string[];
}

export const OUT_DIR = new URL("../.tmp/bench/", import.meta.url).pathname;

export const isFast = (): boolean => process.env.BENCH_FAST === "1";

/** How many timed repetitions a wall-clock figure takes its median over. */
export const runs = (full: number): number => (isFast() ? 1 : full);

export function writeResult(name: string, result: BenchResult): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
export const ratio = (x: number): string => x.toFixed(2);
export const verdict = (ok: boolean): string => (ok ? "pass" : "**FAIL**");
