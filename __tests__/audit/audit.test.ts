import { describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { renderTable } from "../../src/audit/render-text.js";
import type { AuditReport, ContainerAudit } from "../../src/audit/types.js";
import { Timeline } from "../../src/engine/events.js";
import { scenario } from "./sim-world.js";

const row = (report: AuditReport, service: string, container: string): ContainerAudit => {
  const found = report.services.find((s) => s.service === service)?.containers.find((c) => c.name === container);
  if (!found) throw new Error(`no row for ${service} ${container}`);
  return found;
};

const severities = (c: ContainerAudit) => {
  const counts: Record<string, number> = {};
  for (const f of c.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
};

describe("audit against the simulator", () => {
  it("reports every container of a running service, with counts per severity and untriaged in its own column", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web"]), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
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
    await audit(s.settings(["web"]), { aws: s.sim.ports("us-east-1", { maxAttempts: 1 }), clock: s.sim.clock });
    const gets = s.sim.journal.calls({ service: "ecr", operation: "BatchGetImage" });
    expect(gets).toHaveLength(1);
    expect(gets[0]!.params).toMatchObject({
      registryId: "123456789012",
      repositoryName: "web",
      imageIds: [{ imageDigest: expect.stringMatching(/^sha256:/) }],
    });
    const scans = s.sim.journal.calls({ service: "ecr", operation: "DescribeImageScanFindings" });
    expect(scans.map((c) => (c.params as { maxResults: number }).maxResults)).toEqual([1000]);
  });

  it("reads every page of 2,500 enhanced findings and fetches an image shared by two services once", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web", "api"]), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    const api = row(report, "api", "app");
    expect(api.status).toBe("COMPLETE");
    expect(api.findings).toHaveLength(2500);
    expect(api.findings.every((f) => f.enhanced !== undefined)).toBe(true);
    expect(api.findings.some((f) => f.fixable)).toBe(true);
    const pages = s.sim.journal.calls({ service: "ecr", operation: "DescribeImageScanFindings" });
    const apiPages = pages.filter((c) => (c.params as { repositoryName: string }).repositoryName === "api");
    expect(apiPages).toHaveLength(3);
    const webPages = pages.filter((c) => (c.params as { repositoryName: string }).repositoryName === "web");
    expect(webPages).toHaveLength(1);
    expect(row(report, "api", "sidecar").findings).toEqual(row(report, "web", "app").findings);
  });
});

describe("scan statuses and bad input", () => {
  it("gives each scan status and missing image its own row, falling back to the task definition when no task runs", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["odd"]), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    const odd = report.services[0]!;
    expect(odd.source).toBe("task-definition");
    expect(odd.sourceNote).toContain("no task is running");
    expect(Object.fromEntries(odd.containers.map((c) => [c.name, c.status]))).toEqual({
      expired: "SCAN_ELIGIBILITY_EXPIRED",
      failed: "FAILED",
      "no-repo": "IMAGE_NOT_FOUND",
      "no-tag": "IMAGE_NOT_FOUND",
      slow: "IN_PROGRESS",
      unavailable: "FINDINGS_UNAVAILABLE",
      unscanned: "NO_SCAN",
      unsupported: "UNSUPPORTED_IMAGE",
    });
    expect(row(report, "odd", "failed").reason).toContain("The scan failed.");
    expect(row(report, "odd", "no-tag").reason).toContain("image tag nope does not exist in odd");
    expect(row(report, "odd", "no-repo").reason).toContain(
      "repository nowhere in registry 123456789012 (us-east-1) does not exist",
    );
    expect(row(report, "odd", "unscanned").reason).toContain("aws ecr start-image-scan");
    expect(row(report, "odd", "slow").reason).toContain("still IN_PROGRESS after waiting 0s");
    const table = renderTable(report);
    for (const c of odd.containers) expect(table).toContain(`production/odd ${c.name}: ${c.status}: `);
  });

  it("waits for a scan in progress on the clock, and reads it once complete", async () => {
    const s = await scenario();
    const timeline = new Timeline();
    const started = s.sim.clock.now();
    const report = await audit(s.settings(["odd"], { scanWaitTimeout: 5 * 60_000, scanPollInterval: 15_000 }), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
      events: timeline.sink,
    });
    const slow = row(report, "odd", "slow");
    expect(slow.status).toBe("COMPLETE");
    expect(slow.findings.map((f) => f.id)).toEqual(["CVE-2021-4444"]);
    const waited = s.sim.clock.now() - started;
    expect(waited).toBeGreaterThanOrEqual(60_000);
    expect(waited).toBeLessThan(90_000);
    expect(timeline.events.filter((e) => e.type === "heartbeat").length).toBeGreaterThanOrEqual(4);
  });

  it("reports a scan still running at scan-wait-timeout as IN_PROGRESS, having waited that long", async () => {
    const s = await scenario();
    const started = s.sim.clock.now();
    const report = await audit(s.settings(["odd"], { scanWaitTimeout: 30_000 }), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    expect(row(report, "odd", "slow")).toMatchObject({ status: "IN_PROGRESS", reason: expect.stringContaining("30s") });
    expect(s.sim.clock.now() - started).toBe(30_000);
  });

  it("reports a service that does not exist, and still audits the others", async () => {
    const s = await scenario();
    const settings = s.settings(["web", "ghost"]);
    settings.targets.push({ region: "us-east-1", cluster: "staging", service: "web" });
    const report = await audit(settings, { aws: s.sim.ports("us-east-1", { maxAttempts: 1 }), clock: s.sim.clock });
    expect(report.services.map((x) => [x.cluster, x.service, x.error?.status])).toEqual([
      ["production", "web", undefined],
      ["production", "ghost", "SERVICE_NOT_FOUND"],
      ["staging", "web", "SERVICE_NOT_FOUND"],
    ]);
    expect(report.services[1]!.error!.reason).toContain("service ghost does not exist in cluster production");
    expect(report.services[2]!.error!.reason).toContain("cluster staging does not exist");
    expect(row(report, "web", "app").status).toBe("COMPLETE");
    expect(renderTable(report)).toMatch(/production\/ghost\s+-\s+-\s+SERVICE_NOT_FOUND/);
  });

  it("reports a repository it may not read as ACCESS_DENIED with the permission to grant, and reads the rest", async () => {
    const s = await scenario();
    s.sim.faults.add([
      {
        service: "ecr",
        operation: "DescribeImageScanFindings",
        effect: "error",
        code: "AccessDeniedException",
        message: "User is not authorized to perform: ecr:DescribeImageScanFindings",
        count: 1,
      },
    ]);
    const report = await audit(s.settings(["web", "eu"], { concurrency: 1 }), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    const rows = report.services.flatMap((x) => x.containers).filter((c) => c.registryId !== undefined);
    const denied = rows.filter((c) => c.status === "ACCESS_DENIED");
    expect(denied).toHaveLength(1);
    expect(denied[0]!.reason).toContain("grant ecr:DescribeImageScanFindings");
    expect(rows.filter((c) => c.status === "COMPLETE")).toHaveLength(1);
  });
});
