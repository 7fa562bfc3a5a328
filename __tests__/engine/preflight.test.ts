import { describe, expect, it } from "vitest";
import { busyReason } from "../../src/engine/preflight.js";

describe("busyReason", () => {
  it.each([
    [[{ id: "d1", status: "PRIMARY", rolloutState: "COMPLETED" as const }], undefined],
    [[{ id: "d1", status: "PRIMARY", rolloutState: "IN_PROGRESS" as const }], "deployment d1 is IN_PROGRESS"],
    [
      [
        { id: "d2", status: "PRIMARY", rolloutState: "IN_PROGRESS" as const },
        { id: "d1", status: "ACTIVE", rolloutState: "COMPLETED" as const },
      ],
      "a deployment is in progress: d2 (PRIMARY IN_PROGRESS), d1 (ACTIVE COMPLETED)",
    ],
  ])("%j → %s", (deployments, reason) => {
    expect(busyReason({ deployments })).toBe(reason);
  });
});
