/**
 * Keeps simulated time still while an SDK client backs off between retries. The SDK sleeps with real timers,
 * so without this an auto-advancing clock would see "nobody in flight" and jump ahead (firing a racing
 * timeout) in the middle of one logical call. The SDK's `amz-sdk-invocation-id` names the logical call and
 * `amz-sdk-request: attempt=N; max=M` says whether another attempt will come.
 */
import type { SimClock } from "./clock.js";

/** Real timers captured before tests can swap them for fakes; used only as a safety net. */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Longer than the SDK's largest backoff (20 s), in case the retry never comes (e.g. retry quota spent). */
const SAFETY_MS = 25_000;

const retryable = (status: number, code: string | undefined) =>
  status === 0 || status >= 500 || /Throttl|RequestLimitExceeded|TooManyRequests/.test(code ?? "");

export class RetryHolds {
  private readonly held = new Map<string, () => void>();

  constructor(private readonly clock: SimClock) {}

  /** A request arrived: if it is the retry we were waiting for, time may move again. */
  arrived(headers: Record<string, string>): void {
    const id = headers["amz-sdk-invocation-id"];
    if (id) this.held.get(id)?.();
  }

  /** A request failed: hold the clock if the SDK will try again. */
  finished(headers: Record<string, string>, status: number, code: string | undefined): void {
    const id = headers["amz-sdk-invocation-id"];
    const m = /attempt=(\d+);\s*max=(\d+)/.exec(headers["amz-sdk-request"] ?? "");
    if (!id || !m || Number(m[1]) >= Number(m[2]) || !retryable(status, code)) return;
    const release = this.clock.hold();
    const timer = realSetTimeout(() => done(), SAFETY_MS);
    timer.unref?.();
    const done = () => {
      realClearTimeout(timer);
      this.held.delete(id);
      release();
    };
    this.held.set(id, done);
  }
}
