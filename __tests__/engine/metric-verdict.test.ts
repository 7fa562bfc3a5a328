import { describe, expect, it } from "vitest";
import { type Condition, holds, parseCondition } from "../../src/engine/metric-condition.js";
import { assessMetric, judgeMeasurement, type MetricCheck } from "../../src/engine/metric-verdict.js";

const condition = (text: string) => parseCondition(text) as Condition;

describe("metric conditions: result <op> number, joined by and / or, never evaluated as code", () => {
  it.each([
    ["result > 0.01", 0.031, true],
    ["result > 0.01", 0.01, false],
    ["result >= 0.01", 0.01, true],
    ["result<1e-3", 0.0005, true],
    ["result == 0", 0, true],
    ["result != 0", 0, false],
    ["result > 1 and result < 5", 3, true],
    ["result > 1 and result < 5", 6, false],
    ["result < 0 or result > 5 and result < 10", 7, true],
    ["result < 0 or result > 5 and result < 10", 11, false],
    ["result <= -2.5", -3, true],
  ])("%s with result %s: %s", (text, value, expected) => {
    expect(holds(condition(text), value)).toBe(expected);
  });

  it.each([
    ["process.exit(1)"],
    ["result > 0.01; require('fs')"],
    ["result > 0.01 and"],
    ["result > abc"],
    ["result >> 1"],
    ["value > 1"],
    ["result > 1 xor result < 2"],
    ["result > 1e999"],
    [""],
  ])("%j is refused", (text) => {
    expect(parseCondition(text)).toHaveProperty("error");
  });
});

const check = (over: Partial<MetricCheck> = {}): MetricCheck => ({
  name: "5xx rate",
  queries: [],
  intervalMs: 60_000,
  failureLimit: 1,
  failureCondition: condition("result > 0.01"),
  ...over,
});
const at = (...values: (number | undefined)[]) =>
  values.map((value, i) => ({ at: i * 60_000, ...(value === undefined ? {} : { value }) }));

describe("a metric check's verdict over its measurements (argo-rollouts: fails once failures exceed failure-limit)", () => {
  it.each([
    ["nothing measured yet", check(), at(), "pending", 0],
    ["one failure of a limit of 1", check(), at(0.031), "successful", 1],
    ["two failures, not consecutive, exceed the limit of 1", check(), at(0.031, 0.002, 0.05), "failed", 2],
    ["limit 0: the first failure fails", check({ failureLimit: 0 }), at(0.02), "failed", 1],
    ["no data only is inconclusive", check(), at(undefined, undefined), "inconclusive", 0],
    ["no data does not count as a failure", check({ failureLimit: 0 }), at(undefined, 0.001), "successful", 0],
  ] as const)("%s: %s", (_name, c, measurements, verdict, failures) => {
    expect(assessMetric(c, measurements)).toMatchObject({ verdict, failures });
  });

  it.each([
    [{}, 0.031, "failed", "0.031 > 0.01"],
    [{}, 0.002, "successful", "not 0.002 > 0.01"],
    [
      { failureCondition: undefined, successCondition: condition("result < 0.01") },
      0.002,
      "successful",
      "0.002 < 0.01",
    ],
    [{ failureCondition: undefined, successCondition: condition("result < 0.01") }, 0.02, "failed", "not 0.02 < 0.01"],
    [
      { successCondition: condition("result < 0.005") },
      0.007,
      "inconclusive",
      "0.007: neither 0.007 > 0.01 nor 0.007 < 0.005",
    ],
    [{}, undefined, "inconclusive", "no data"],
  ] as const)("judges %j with result %s: %s, stating %s", (over, value, outcome, comparison) => {
    expect(judgeMeasurement(check(over as Partial<MetricCheck>), value)).toEqual({ outcome, comparison });
  });
});
