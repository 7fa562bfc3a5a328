import { describe, expect, it } from "vitest";
import { didYouMean, suggestion } from "../../src/shared/did-you-mean.js";

describe("didYouMean", () => {
  it.each<[string, string, string[], string | undefined]>([
    ["the same name in another case", "DESIREDCOUNT", ["desiredCount"], "desiredCount"],
    ["a letter missing", "portMapings", ["portMappings", "essential"], "portMappings"],
    ["two letters swapped", "rollotu", ["rollout", "run", "up"], "rollout"],
    ["the nearest of several", "clustr", ["cluster", "clusters", "service"], "cluster"],
    ["too far from anything", "banana", ["cluster", "service"], undefined],
    ["the start of a long name", "healthCheck", ["healthCheckGracePeriodSeconds"], "healthCheckGracePeriodSeconds"],
    ["a long name that starts with one", "memoryReservationInMiB", ["memory"], "memory"],
    ["a prefix of fewer than four characters", "cpuArchitectureName", ["cpu"], undefined],
    ["no candidates", "anything", [], undefined],
  ])("%s: %s", (_, word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });
});

describe("suggestion", () => {
  it("is a clause to append, or nothing", () => {
    expect(suggestion("varient", ["variant", "seed"])).toBe(' (did you mean "variant"?)');
    expect(suggestion("zzz", ["variant", "seed"])).toBe("");
  });
});
