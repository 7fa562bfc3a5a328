import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/shared/duration.js";

describe("parseDuration", () => {
  it.each([
    ["15s", 15_000],
    ["90", 90_000],
    ["0", 0],
    ["15m", 900_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["1.5s", 1500],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["ten", "", "15 minutes", "-5s", "1d", "s"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [65_000, "1m05s"],
    [15_000, "15s"],
    [0, "0s"],
    [3_600_000, "1h00m00s"],
    [500, "0.5s"],
  ])("writes %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
