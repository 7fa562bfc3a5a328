import { describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { ECR, row, scenario } from "./sim-world.js";

describe("registries and platforms", () => {
  it("reads an image from another region's registry through that region's ECR, naming the registry", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["eu"]), s.deps());
    expect(row(report, "eu", "app")).toMatchObject({
      status: "COMPLETE",
      registryId: "123456789012",
      registryRegion: "eu-west-1",
      repository: "eu-app",
    });
    expect(row(report, "eu", "app").findings.map((f) => f.id)).toEqual(["CVE-2022-3333"]);
    for (const call of s.sim.journal.calls({ service: "ecr" })) {
      expect(call.params).toMatchObject({ registryId: "123456789012", repositoryName: "eu-app" });
    }
  });

  it.each([
    ["a Docker manifest list", "app", "multi:v1"],
    ["an OCI index", "worker", "multi:v2"],
  ])("resolves %s to the task's arm64 image", async (_, container, tagged) => {
    const s = await scenario();
    const report = await audit(s.settings(["arm"]), s.deps());
    const repo = s.world.ecr.repositories.get("us-east-1/multi")!;
    const index = repo.images.find((i) => i.tags.includes(tagged.split(":")[1]!))!;
    const arm = JSON.parse(index.manifest).manifests.find((m: any) => m.platform.architecture === "arm64").digest;
    expect(row(report, "arm", container)).toMatchObject({
      status: "COMPLETE",
      architecture: "arm64",
      digest: arm,
      indexDigest: index.digest,
    });
    expect(row(report, "arm", container).findings).toHaveLength(1);
  });

  it("resolves a multi-arch tag to amd64 for an x86 task definition", async () => {
    const s = await scenario();
    const settings = s.settings(["arm"], { source: "deploy-context" });
    settings.targets[0]!.taskDefinition = {
      family: "arm",
      containerDefinitions: [{ name: "app", image: `${ECR}/multi:v1` }],
    };
    const report = await audit(settings, s.deps());
    const index = s.world.ecr.repositories.get("us-east-1/multi")!.images.find((i) => i.tags.includes("v1"))!;
    const amd = JSON.parse(index.manifest).manifests.find((m: any) => m.platform.architecture === "amd64").digest;
    expect(row(report, "arm", "app")).toMatchObject({ status: "COMPLETE", architecture: "amd64", digest: amd });
  });
});

describe("another account's registry", () => {
  it("asks for the image with that account's registry id, not the caller's", async () => {
    const s = await scenario();
    const settings = s.settings(["partner"], { source: "deploy-context" });
    settings.targets[0]!.taskDefinition = {
      family: "partner",
      containerDefinitions: [{ name: "app", image: "210987654321.dkr.ecr.us-east-1.amazonaws.com/web:v1" }],
    };
    const report = await audit(settings, s.deps());
    expect(row(report, "partner", "app")).toMatchObject({
      status: "COMPLETE",
      registryId: "210987654321",
      registryRegion: "us-east-1",
    });
    expect(row(report, "partner", "app").findings.map((f) => f.id)).toEqual(["CVE-2020-5555"]);
    const calls = s.sim.journal.calls({ service: "ecr" });
    expect(calls.map((c) => c.operation)).toEqual(["BatchGetImage", "DescribeImageScanFindings"]);
    for (const call of calls) expect(call.params).toMatchObject({ registryId: "210987654321", repositoryName: "web" });
  });

  it("reports a repository the other account does not have as not found, naming that account", async () => {
    const s = await scenario();
    const settings = s.settings(["partner"], { source: "deploy-context" });
    settings.targets[0]!.taskDefinition = {
      family: "partner",
      containerDefinitions: [{ name: "app", image: "210987654321.dkr.ecr.us-east-1.amazonaws.com/api:v1" }],
    };
    const report = await audit(settings, s.deps());
    expect(row(report, "partner", "app").status).toBe("IMAGE_NOT_FOUND");
    expect(row(report, "partner", "app").reason).toContain("registry 210987654321");
  });
});
