import { describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { renderTable } from "../../src/audit/render-text.js";
import { Timeline } from "../../src/engine/events.js";
import { row, scenario } from "./sim-world.js";

describe("scan statuses and bad input", () => {
  it("gives each scan status and missing image its own row, falling back to the task definition when no task runs", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["odd"]), s.deps());
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
    expect(row(report, "odd", "failed").reason).toContain("(The scan failed.)");
    expect(row(report, "odd", "expired").reason).toContain("lengthen the registry's scan duration");
    expect(row(report, "odd", "no-tag").reason).toContain(
      "image tag nope does not exist in repository odd of registry 123456789012 in us-east-1",
    );
    expect(row(report, "odd", "no-repo").reason).toContain(
      "repository nowhere of registry 123456789012 in us-east-1 does not exist",
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
    const report = await audit(
      s.settings(["odd"], { scanWaitTimeout: 5 * 60_000, scanPollInterval: 15_000 }),
      s.deps({
        events: timeline.sink,
      }),
    );
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
    const report = await audit(s.settings(["odd"], { scanWaitTimeout: 30_000 }), s.deps());
    expect(row(report, "odd", "slow")).toMatchObject({ status: "IN_PROGRESS", reason: expect.stringContaining("30s") });
    expect(s.sim.clock.now() - started).toBe(30_000);
  });

  it("reports a service that does not exist, and still audits the others", async () => {
    const s = await scenario();
    const settings = s.settings(["web", "ghost"]);
    settings.targets.push({ region: "us-east-1", cluster: "staging", service: "web" });
    const report = await audit(settings, s.deps());
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

  it("describes services ten at a time per cluster, each missing one a row of its own", async () => {
    const s = await scenario();
    const names = ["web", ...Array.from({ length: 24 }, (_, i) => `ghost-${i}`)];
    const report = await audit(s.settings(names), s.deps());
    // At most ten a call (ECS's limit), each service asked about once.
    const asked = s.sim.journal
      .calls({ service: "ecs", operation: "DescribeServices" })
      .map((c) => (c.params as { services: string[] }).services);
    expect(asked.filter((batch) => batch.length > 10)).toEqual([]);
    expect(asked.flat().sort()).toEqual([...names].sort());
    expect(report.services.map((x) => x.service)).toEqual(names);
    expect(report.services.filter((x) => x.error?.status === "SERVICE_NOT_FOUND")).toHaveLength(24);
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
    const report = await audit(s.settings(["web", "eu"], { concurrency: 1 }), s.deps());
    const rows = report.services.flatMap((x) => x.containers).filter((c) => c.registryId !== undefined);
    const denied = rows.filter((c) => c.status === "ACCESS_DENIED");
    expect(denied).toHaveLength(1);
    expect(denied[0]!.reason).toContain("grant ecr:DescribeImageScanFindings");
    expect(rows.filter((c) => c.status === "COMPLETE")).toHaveLength(1);
  });
});

describe("throttling", () => {
  it("backs off when ECR and ECS throttle, lowers its concurrency, and still reads everything", async () => {
    const s = await scenario();
    s.sim.faults.add([
      { service: "ecr", operation: "DescribeImageScanFindings", effect: "throttle", count: 6 },
      { service: "ecr", operation: "BatchGetImage", effect: "throttle", count: 2 },
      { service: "ecs", operation: "DescribeTasks", effect: "throttle", count: 1 },
    ]);
    const timeline = new Timeline();
    const report = await audit(
      s.settings(["web", "api", "arm", "eu"], { concurrency: 4 }),
      s.deps({
        events: timeline.sink,
      }),
    );
    const ecrRows = report.services.flatMap((x) => x.containers).filter((c) => c.registryId !== undefined);
    expect(ecrRows.map((c) => c.status)).toEqual(ecrRows.map(() => "COMPLETE"));
    expect(row(report, "api", "app").findings).toHaveLength(2500);
    // Every throttle the plan injects (6 + 2 + 1) was met, and each lowered the concurrency with a notice.
    const throttled = s.sim.journal.calls().filter((c) => c.errorCode === "ThrottlingException");
    expect(throttled).toHaveLength(9);
    const notices = timeline.events.filter((e) => e.type === "notice" && e.message.includes("concurrency lowered"));
    expect(notices).toHaveLength(throttled.length);
    expect(notices.at(-1)).toMatchObject({ message: "AWS throttled the audit; concurrency lowered to 1" });
  });

  it("reports an image as ERROR when throttling outlasts every retry, and the others still complete", async () => {
    const s = await scenario();
    s.sim.faults.add([{ service: "ecr", operation: "DescribeImageScanFindings", effect: "throttle" }]);
    const report = await audit(s.settings(["web"]), s.deps());
    expect(row(report, "web", "app")).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("ThrottlingException"),
    });
    expect(row(report, "web", "proxy").status).toBe("NOT_SCANNABLE");
  });
});

describe("cancellation", () => {
  it("stops waiting for a scan when the signal aborts, with the signal's reason", async () => {
    const s = await scenario();
    const controller = new AbortController();
    const running = audit(
      s.settings(["odd"], { scanWaitTimeout: 10 * 60_000 }),
      s.deps({
        signal: controller.signal,
        events: (e) => {
          if (e.type === "heartbeat") controller.abort(new Error("job canceled"));
        },
      }),
    );
    await expect(running).rejects.toThrow("job canceled");
  });
});
