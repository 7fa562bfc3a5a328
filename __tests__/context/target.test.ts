import { describe, expect, it } from "vitest";
import { resolveTarget } from "../../src/context/target.js";
import type { DeployContext } from "../../src/context/types.js";

const context: DeployContext = {
  dir: "ctx",
  serviceFile: "ctx/service.json",
  service: { cluster: "production", serviceName: "web" },
};

describe("resolveTarget", () => {
  it("takes cluster and service from service.json when nothing explicit is given", () => {
    expect(resolveTarget({}, context)).toEqual({ cluster: "production", service: "web" });
  });

  it("lets an explicit value win over service.json", () => {
    expect(resolveTarget({ cluster: "staging" }, context)).toEqual({ cluster: "staging", service: "web" });
  });

  it("works without a deploy context, and leaves out what nobody gave", () => {
    expect(resolveTarget({ cluster: "c" })).toEqual({ cluster: "c" });
  });
});
