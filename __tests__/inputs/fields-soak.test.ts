import { describe, expect, it } from "vitest";
import { alarmsOf } from "../../src/inputs/fields-soak.js";

describe("canary-alarms", () => {
  it("takes names and a prefix ending in *, separated by commas or newlines", () => {
    expect(alarmsOf("'canary-alarms'", "web-5xx, web-latency\nweb-*")).toEqual(["web-5xx", "web-latency", "web-*"]);
    expect(alarmsOf("'canary-alarms'", "")).toEqual([]);
  });

  it.each(["web*5xx", "*", "a\u0007b", "x".repeat(256)])(
    "refuses %j, naming the input and the accepted form",
    (value) => {
      expect(() => alarmsOf("'canary-alarms'", value)).toThrow(
        /^'canary-alarms' takes CloudWatch alarm names, or a name prefix ending in '\*'/,
      );
    },
  );
});
