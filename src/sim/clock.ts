/**
 * Simulated time. `VirtualClock` (in-process tests) moves only when told, or, in auto-advance mode, jumps to the
 * earliest pending sleep once no request is in flight and the process has nothing else to do; a 15-minute
 * rollout then takes milliseconds and runs the same way every time. Injected latency (`delay`) is a sleep inside
 * a request: once every request in flight is in one, time moves to the earliest, so concurrent delays overlap. `ScaledClock` (the HTTP server) runs
 * `scale` times faster than the wall clock and can be pushed forward by hand.
 */
import type { Clock } from "../shared/clock.js";

export interface SimClock extends Clock {
  /** Moves simulated time forward, waking due sleepers in order; resolves with the new `now()`. */
  advance(ms: number): Promise<number>;
  /** Marks a request in flight (no auto-advance meanwhile); call the returned function when it ends. */
  hold(): () => void;
  /** Spends `ms` of simulated time inside a request (injected latency); concurrent delays overlap. */
  delay(ms: number): Promise<void>;
}

/** A time step must be a finite number: NaN or Infinity would corrupt the clock for good. */
function checkedStep(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`cannot advance the simulated clock by ${ms} ms`);
  return Math.max(0, ms);
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
  /** Injected latency of a request in flight, rather than a caller's sleep. */
  delay?: boolean;
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
  /** Requests in flight that are spending injected latency. */
  private delaying = 0;
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
      this.add(timer);
    });
  }

  private add(timer: Timer): void {
    this.timers.push(timer);
    this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
    this.activity++;
    this.scheduleAuto();
  }

  async advance(ms: number): Promise<number> {
    const target = this.current + checkedStep(ms);
    for (;;) {
      const next = this.timers[0];
      if (!next || next.due > target) break;
      this.fire(next);
      await nextTurn();
    }
    this.current = Math.max(this.current, target);
    return this.current;
  }

  /**
   * Time moves for delays once every request in flight is in one (even without auto-advance): to the earliest
   * delay's end, waking any sleeper due before it on the way.
   */
  delay(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.delaying++;
      this.add({
        due: this.current + Math.max(0, ms),
        seq: this.seq++,
        delay: true,
        resolve: () => {
          this.delaying--;
          resolve();
        },
      });
    });
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
    if ((!this.autoAdvance && this.delaying === 0) || this.scheduled) return;
    this.scheduled = true;
    void this.autoTick();
  }

  /**
   * Waits until a few event-loop turns pass with no new sleep or request, then wakes the earliest sleeper, as
   * long as no request is in flight other than those spending injected latency.
   */
  private async autoTick(): Promise<void> {
    for (;;) {
      const seen = this.activity;
      for (let i = 0; i < 3; i++) await nextTurn();
      if (this.activity !== seen) continue;
      const next = this.timers[0];
      const movable = this.autoAdvance || this.delaying > 0;
      if (this.holds > this.delaying || !next || !movable) break;
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
    this.offset += checkedStep(ms);
    return this.now();
  }

  delay(ms: number): Promise<void> {
    return this.sleep(ms);
  }

  hold(): () => void {
    return () => {};
  }
}
