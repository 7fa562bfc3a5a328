/**
 * Simulated time. `VirtualClock` (in-process tests) moves only when told, or, in auto-advance mode, jumps to the
 * earliest pending sleep once no request is in flight and the process has nothing else to do; a 15-minute
 * rollout then takes milliseconds and runs the same way every time. `ScaledClock` (the HTTP server) runs
 * `scale` times faster than the wall clock and can be pushed forward by hand.
 */
import type { Clock } from "../engine/clock.js";

export interface SimClock extends Clock {
  /** Moves simulated time forward, waking due sleepers in order; resolves with the new `now()`. */
  advance(ms: number): Promise<number>;
  /** Marks a request in flight (no auto-advance meanwhile); call the returned function when it ends. */
  hold(): () => void;
  /** Spends `ms` of simulated time inside a request (injected latency). */
  delay(ms: number): Promise<void>;
}

/** 2026-01-01T00:00:00Z: a fixed start so runs are reproducible. */
export const DEFAULT_START = Date.UTC(2026, 0, 1);

/** Captured before any test swaps timers for fakes: the clock must keep working under `vi.useFakeTimers()`. */
const realSetImmediate = globalThis.setImmediate;
const nextTurn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

interface Timer {
  due: number;
  seq: number;
  resolve(): void;
}

export interface VirtualClockOptions {
  start?: number;
  /** Jump to the next pending sleep whenever everyone is waiting (default true). */
  autoAdvance?: boolean;
}

export class VirtualClock implements SimClock {
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private holds = 0;
  private activity = 0;
  private scheduled = false;
  readonly autoAdvance: boolean;

  constructor(options: VirtualClockOptions = {}) {
    this.current = options.start ?? DEFAULT_START;
    this.autoAdvance = options.autoAdvance ?? true;
  }

  now(): number {
    return this.current;
  }

  /** Sleepers not yet woken, for tests and diagnostics. */
  get pending(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = {
        due: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.remove(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      this.activity++;
      this.scheduleAuto();
    });
  }

  async advance(ms: number): Promise<number> {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      const next = this.timers[0];
      if (!next || next.due > target) break;
      this.fire(next);
      await nextTurn();
    }
    this.current = Math.max(this.current, target);
    return this.current;
  }

  async delay(ms: number): Promise<void> {
    await this.advance(ms);
  }

  hold(): () => void {
    this.holds++;
    this.activity++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.activity++;
      this.scheduleAuto();
    };
  }

  private fire(timer: Timer): void {
    this.remove(timer);
    this.current = Math.max(this.current, timer.due);
    timer.resolve();
  }

  private remove(timer: Timer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  private scheduleAuto(): void {
    if (!this.autoAdvance || this.scheduled) return;
    this.scheduled = true;
    void this.autoTick();
  }

  /** Waits until a few event-loop turns pass with no new sleep or request, then wakes the earliest sleeper. */
  private async autoTick(): Promise<void> {
    for (;;) {
      const seen = this.activity;
      for (let i = 0; i < 3; i++) await nextTurn();
      if (this.activity !== seen) continue;
      const next = this.timers[0];
      if (this.holds > 0 || !next) break;
      this.fire(next);
    }
    this.scheduled = false;
  }
}

export interface ScaledClockOptions {
  /** Simulated time at start (default: the wall clock). */
  start?: number;
  /** Simulated milliseconds per wall millisecond. */
  scale?: number;
  wallNow?: () => number;
}

export class ScaledClock implements SimClock {
  private readonly startWall: number;
  private readonly start: number;
  private readonly scale: number;
  private readonly wallNow: () => number;
  private offset = 0;

  constructor(options: ScaledClockOptions = {}) {
    this.wallNow = options.wallNow ?? Date.now;
    this.startWall = this.wallNow();
    this.start = options.start ?? this.startWall;
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new Error(`time scale must be a positive number, got ${options.scale}`);
  }

  now(): number {
    return Math.floor(this.start + (this.wallNow() - this.startWall) * this.scale + this.offset);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms / this.scale);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async advance(ms: number): Promise<number> {
    this.offset += Math.max(0, ms);
    return this.now();
  }

  delay(ms: number): Promise<void> {
    return this.sleep(ms);
  }

  hold(): () => void {
    return () => {};
  }
}
