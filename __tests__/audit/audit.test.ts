import { describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { renderTable } from "../../src/audit/render-text.js";
import type { ContainerAudit } from "../../src/audit/types.js";
import { ECR, row, scenario } from "./sim-world.js";

const severities = (c: ContainerAudit) => {
  const counts: Record<string, number> = {};
  for (const f of c.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
};

describe("audit against the simulator", () => {
  it("reports every container of a running service, with counts per severity and untriaged in its own column", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web"]), s.deps());
    const web = report.services[0]!;
    expect(web.source).toBe("running");
    expect(web.containers.map((c) => [c.name, c.status])).toEqual([
      ["app", "COMPLETE"],
      ["log-router", "NOT_SCANNABLE"],
      ["proxy", "NOT_SCANNABLE"],
    ]);
    const app = row(report, "web", "app");
    expect(severities(app)).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1, UNDEFINED: 1 });
    expect(app).toMatchObject({ tag: "v1", registryId: "123456789012", registryRegion: "us-east-1", taskCount: 2 });
    const pushed = s.world.ecr.repositories.get("us-east-1/web")!.images[0]!.digest;
    expect(app.digest).toBe(pushed);
    expect(row(report, "web", "log-router").reason).toContain("public.ecr.aws");
    expect(row(report, "web", "proxy").reason).toContain("Docker Hub");
    const table = renderTable(report);
    expect(table.split("\n")[1]).toMatch(
      /^production\/web\s+app\s+web:v1@\w{8}\s+COMPLETE\s+1\s+1\s+1\s+1\s+0\s+1\s+0\s+0$/,
    );
  });

  it("asks ECR only about ECR images, by the digest the tasks run, in the registry's account", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web"]), s.deps());
    const digest = row(report, "web", "app").digest;
    const asked = (operation: string) => s.sim.journal.calls({ service: "ecr", operation }).map((c) => c.params);
    // Never about the public.ecr.aws or Docker Hub images beside it.
    const image = { registryId: "123456789012", repositoryName: "web" };
    const gets = asked("BatchGetImage");
    expect(gets.length).toBeGreaterThan(0);
    expect(gets).toEqual(gets.map(() => expect.objectContaining({ ...image, imageIds: [{ imageDigest: digest }] })));
    const scans = asked("DescribeImageScanFindings");
    expect(scans.length).toBeGreaterThan(0);
    expect(scans).toEqual(
      scans.map(() => expect.objectContaining({ ...image, imageId: { imageDigest: digest }, maxResults: 1000 })),
    );
  });

  it("reads every page of 2,500 enhanced findings and fetches an image shared by two services once", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web", "api"]), s.deps());
    const api = row(report, "api", "app");
    expect(api.status).toBe("COMPLETE");
    expect(api.findings).toHaveLength(2500);
    expect(api.findings.filter((f) => f.enhanced !== undefined)).toHaveLength(2500);
    expect(api.findings.some((f) => f.fixable)).toBe(true);
    // Each page once: the first without a token, each next one with the token the last page gave.
    const pages = s.sim.journal
      .calls({ service: "ecr", operation: "DescribeImageScanFindings" })
      .map((c) => c.params as { repositoryName: string; imageId: { imageDigest: string }; nextToken?: string });
    const keys = pages.map((p) => `${p.repositoryName}@${p.imageId.imageDigest} ${p.nextToken ?? "first"}`);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
    const apiPages = pages.filter((p) => p.repositoryName === "api");
    expect(apiPages.map((p) => p.nextToken !== undefined)).toEqual(apiPages.map((_, i) => i > 0));
    expect(row(report, "api", "sidecar").findings).toEqual(row(report, "web", "app").findings);
  });
});

describe("sources", () => {
  it("audits a deploy context's task definition without asking ECS anything", async () => {
    const s = await scenario();
    const settings = s.settings(["new-service"], { source: "deploy-context" });
    settings.targets[0]!.taskDefinition = {
      family: "new-service",
      containerDefinitions: [
        { name: "app", image: `${ECR}/web:v1` },
        { name: "pinned", image: `${ECR}/api@${s.world.ecr.repositories.get("us-east-1/api")!.images[0]!.digest}` },
      ],
    };
    settings.targets[0]!.taskDefinitionFile = "services/new/task-definition.json";
    const report = await audit(settings, s.deps());
    expect(s.sim.journal.calls({ service: "ecs" })).toEqual([]);
    expect(report.services[0]).toMatchObject({
      source: "deploy-context",
      taskDefinitionFile: "services/new/task-definition.json",
    });
    expect(row(report, "new-service", "app").status).toBe("COMPLETE");
    expect(row(report, "new-service", "pinned").findings).toHaveLength(2500);
  });

  it("says so when the deploy-context source has no task definition", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web"], { source: "deploy-context" }), s.deps());
    expect(report.services[0]!.error).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("task-definition.json"),
    });
  });

  it("audits the service's current task definition with source task-definition, even while tasks run", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web"], { source: "task-definition" }), s.deps());
    expect(report.services[0]).toMatchObject({
      source: "task-definition",
      taskDefinitionArn: expect.stringContaining(":task-definition/web:"),
    });
    expect(row(report, "web", "app")).toMatchObject({ status: "COMPLETE", tag: "v1" });
    expect(row(report, "web", "app").taskCount).toBeUndefined();
    expect(s.sim.journal.calls({ service: "ecs", operation: "ListTasks" })).toEqual([]);
  });
});
