import { describe, expect, it } from "vitest";
import { AdaptiveLimiter, isThrottling } from "../../src/audit/limiter.js";
import type { Clock } from "../../src/shared/clock.js";

/** A clock whose sleeps end at once, moving its time forward by the amount slept. */
function jumpingClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function throttle(): Error {
  return Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $fault: "client" });
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("AdaptiveLimiter", () => {
  it("never has more calls in flight than its limit", async () => {
    const limiter = new AdaptiveLimiter({ max: 3, clock: jumpingClock() });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await tick();
          inFlight -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it("halves its limit on throttling, backs off on the clock, and retries", async () => {
    const clock = jumpingClock();
    const limiter = new AdaptiveLimiter({ max: 8, clock, backoff: 100 });
    let calls = 0;
    const result = await limiter.run(async () => {
      calls += 1;
      if (calls <= 2) throw throttle();
      return "ok";
    });
    expect(result).toBe("ok");
    expect(clock.slept).toEqual([100, 200]);
    expect(limiter.lowest).toBe(2);
    expect(limiter.throttled).toBe(2);
  });

  it("gives the error back after its retries", async () => {
    const limiter = new AdaptiveLimiter({ max: 2, clock: jumpingClock(), retries: 3 });
    let calls = 0;
    await expect(
      limiter.run(async () => {
        calls += 1;
        throw throttle();
      }),
    ).rejects.toThrow("Rate exceeded");
    expect(calls).toBe(4);
  });

  it("does not retry a client error", async () => {
    const limiter = new AdaptiveLimiter({ max: 2, clock: jumpingClock() });
    let calls = 0;
    const denied = Object.assign(new Error("no"), { name: "AccessDeniedException", $fault: "client" });
    await expect(
      limiter.run(async () => {
        calls += 1;
        throw denied;
      }),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it("climbs back up after successes", async () => {
    const limiter = new AdaptiveLimiter({ max: 4, clock: jumpingClock() });
    let first = true;
    await limiter.run(async () => {
      if (first) {
        first = false;
        throw throttle();
      }
    });
    expect(limiter.current).toBe(2);
    for (let i = 0; i < 10; i += 1) await limiter.run(async () => undefined);
    expect(limiter.current).toBe(4);
  });
});

describe("isThrottling", () => {
  it.each([
    [{ name: "ThrottlingException" }, true],
    [{ name: "Throttling" }, true],
    [{ name: "RequestLimitExceeded" }, true],
    [{ name: "X", $retryable: { throttling: true } }, true],
    [{ name: "X", $metadata: { httpStatusCode: 429 } }, true],
    [{ name: "ServerException" }, false],
    [{ name: "AccessDeniedException" }, false],
  ])("%j is throttling: %s", (error, expected) => {
    expect(isThrottling(error)).toBe(expected);
  });
});
