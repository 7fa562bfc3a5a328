import { describe, expect, it } from "vitest";
import { DEFAULT_START, ScaledClock, VirtualClock } from "../../src/sim/clock.js";

describe("VirtualClock", () => {
  it("stands still until advanced, then wakes sleepers in due order at their due time", async () => {
    const clock = new VirtualClock({ autoAdvance: false });
    const woke: [string, number][] = [];
    void clock.sleep(3000).then(() => woke.push(["b", clock.now()]));
    void clock.sleep(1000).then(() => woke.push(["a", clock.now()]));
    await new Promise((r) => setTimeout(r, 5));
    expect(woke).toEqual([]);
    expect(clock.now()).toBe(DEFAULT_START);
    expect(await clock.advance(5000)).toBe(DEFAULT_START + 5000);
    expect(woke).toEqual([
      ["a", DEFAULT_START + 1000],
      ["b", DEFAULT_START + 3000],
    ]);
  });

  it("wakes a sleeper scheduled by another sleeper within the same advance", async () => {
    const clock = new VirtualClock({ autoAdvance: false, start: 0 });
    const times: number[] = [];
    void clock.sleep(1000).then(async () => {
      times.push(clock.now());
      await clock.sleep(1000);
      times.push(clock.now());
    });
    await clock.advance(2500);
    expect(times).toEqual([1000, 2000]);
  });

  it("auto-advances a 15-minute poll loop in milliseconds, the same way every run", async () => {
    const run = async () => {
      const clock = new VirtualClock({ start: 0 });
      const polls: number[] = [];
      while (clock.now() < 15 * 60_000) {
        polls.push(clock.now());
        await clock.sleep(15_000);
      }
      return polls;
    };
    const started = Date.now();
    const first = await run();
    expect(first).toHaveLength(60);
    expect(first[1]).toBe(15_000);
    expect(await run()).toEqual(first);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("does not auto-advance while a request is in flight", async () => {
    const clock = new VirtualClock({ start: 0 });
    const release = clock.hold();
    let woke = false;
    void clock.sleep(1000).then(() => {
      woke = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(true);
    expect(clock.now()).toBe(1000);
  });

  it.each([true, false])(
    "overlaps the injected latency of concurrent requests (auto-advance %s)",
    async (autoAdvance) => {
      const clock = new VirtualClock({ autoAdvance, start: 0 });
      const request = async () => {
        const release = clock.hold();
        await clock.delay(30);
        const at = clock.now();
        release();
        return at;
      };
      expect(await Promise.all([request(), request(), request()])).toEqual([30, 30, 30]);
      expect(clock.now()).toBe(30);
    },
  );

  it("spends a delay only once no other request in flight is busy", async () => {
    const clock = new VirtualClock({ autoAdvance: false, start: 0 });
    const busy = clock.hold();
    const release = clock.hold();
    const delayed = clock.delay(30).then(() => clock.now());
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now()).toBe(0);
    busy();
    expect(await delayed).toBe(30);
    release();
  });

  it("rejects a sleep with the signal's reason when aborted, and forgets it", async () => {
    const clock = new VirtualClock({ autoAdvance: false });
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(sleeping).rejects.toThrow("cancelled");
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(10, controller.signal)).rejects.toThrow("cancelled");
  });
});

describe("ScaledClock", () => {
  it("runs scale times faster than the wall clock and can be pushed forward", async () => {
    let wall = 1_000;
    const clock = new ScaledClock({ start: 0, scale: 60, wallNow: () => wall });
    wall += 1_000;
    expect(clock.now()).toBe(60_000);
    expect(await clock.advance(5_000)).toBe(65_000);
  });

  it("refuses a scale that is not positive", () => {
    expect(() => new ScaledClock({ scale: 0 })).toThrow("time scale must be a positive number");
  });
});
