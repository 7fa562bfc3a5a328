/**
 * Bounded, adaptive concurrency for AWS calls: at most `max` in flight; a throttling error halves the limit and
 * retries after a backoff on the injected clock; each success creeps the limit back up (AIMD, as TCP does).
 */

import { isTransient } from "../aws/errors.js";
import type { Clock } from "../shared/clock.js";

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
]);

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e?.name ?? "") || e?.$retryable?.throttling === true || e?.$metadata?.httpStatusCode === 429;
}

export function isServerFault(error: unknown): boolean {
  const e = error as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$fault === "server" || (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}

export interface LimiterOptions {
  max: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Retries of one call after throttling or a server fault before its error is returned. */
  retries?: number;
  /** First backoff in ms; doubles per retry up to maxBackoff. */
  backoff?: number;
  maxBackoff?: number;
  onThrottle?: (limit: number) => void;
}

export class AdaptiveLimiter {
  private limit: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** The lowest limit throttling drove it to, for reports and tests. */
  lowest: number;
  throttled = 0;

  constructor(private readonly options: LimiterOptions) {
    this.limit = Math.max(1, options.max);
    this.lowest = this.limit;
  }

  get current(): number {
    return Math.floor(this.limit);
  }

  private async acquire(): Promise<void> {
    if (this.waiting.length === 0 && this.active < this.current) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    this.active -= 1;
    while (this.waiting.length > 0 && this.active < this.current) {
      this.active += 1;
      this.waiting.shift()?.();
    }
  }

  /** Runs `call` within the limit, retrying throttling, server faults and dropped connections with backoff. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const retries = this.options.retries ?? 8;
    const base = this.options.backoff ?? 250;
    const cap = this.options.maxBackoff ?? 20_000;
    for (let attempt = 0; ; attempt += 1) {
      await this.acquire();
      let error: unknown;
      try {
        const result = await call();
        this.limit = Math.min(this.options.max, this.limit + 1 / this.limit);
        return result;
      } catch (e) {
        error = e;
      } finally {
        this.release();
      }
      const throttled = isThrottling(error);
      // Every audit call is a read, so a dropped connection is as safe to retry as a server fault.
      const transient = throttled || isServerFault(error) || isTransient(error);
      if (attempt >= retries || !transient || this.options.signal?.aborted) throw error;
      if (throttled) {
        this.throttled += 1;
        this.limit = Math.max(1, this.limit / 2);
        this.lowest = Math.min(this.lowest, this.current);
        this.options.onThrottle?.(this.current);
      }
      await this.options.clock.sleep(Math.min(cap, base * 2 ** attempt), this.options.signal);
    }
  }
}
