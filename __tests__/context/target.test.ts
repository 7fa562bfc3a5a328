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
    expect(resolveTarget({ label: "--cluster" }, { label: "--service" }, context)).toEqual({
      cluster: "production",
      service: "web",
      notices: [],
    });
  });

  it("lets an explicit value win, with a notice naming both values", () => {
    expect(
      resolveTarget({ label: "--cluster", value: "staging" }, { label: "--service", value: "web" }, context),
    ).toEqual({
      cluster: "staging",
      service: "web",
      notices: ["--cluster 'staging' differs from cluster 'production' in ctx/service.json; using 'staging'"],
    });
  });

  it("works without a deploy context", () => {
    expect(resolveTarget({ label: "'cluster' input", value: "c" }, { label: "'service' input", value: "s" })).toEqual({
      cluster: "c",
      service: "s",
      notices: [],
    });
  });
});
