import { describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { gate } from "../../src/audit/gate.js";
import { parseIgnoreFile } from "../../src/audit/ignore-file.js";
import { renderJson } from "../../src/audit/render-json.js";
import { renderSarif } from "../../src/audit/render-sarif.js";
import { renderTable } from "../../src/audit/render-text.js";
import type { AuditReport, ContainerAudit } from "../../src/audit/types.js";
import { Timeline } from "../../src/engine/events.js";
import { ECR, scenario } from "./sim-world.js";

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

describe("registries and platforms", () => {
  it("reads an image from another region's registry through that region's ECR, naming the registry", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["eu"]), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
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
    const report = await audit(s.settings(["arm"]), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
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
    const report = await audit(settings, { aws: s.sim.ports("us-east-1", { maxAttempts: 1 }), clock: s.sim.clock });
    const index = s.world.ecr.repositories.get("us-east-1/multi")!.images.find((i) => i.tags.includes("v1"))!;
    const amd = JSON.parse(index.manifest).manifests.find((m: any) => m.platform.architecture === "amd64").digest;
    expect(row(report, "arm", "app")).toMatchObject({ status: "COMPLETE", architecture: "amd64", digest: amd });
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
    const report = await audit(settings, { aws: s.sim.ports("us-east-1", { maxAttempts: 1 }), clock: s.sim.clock });
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
    const report = await audit(s.settings(["web"], { source: "deploy-context" }), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    expect(report.services[0]!.error).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("task-definition.json"),
    });
  });

  it("audits the service's current task definition with source task-definition, even while tasks run", async () => {
    const s = await scenario();
    const report = await audit(s.settings(["web"], { source: "task-definition" }), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    expect(report.services[0]).toMatchObject({
      source: "task-definition",
      taskDefinitionArn: expect.stringContaining(":task-definition/web:"),
    });
    expect(row(report, "web", "app")).toMatchObject({ status: "COMPLETE", tag: "v1" });
    expect(row(report, "web", "app").taskCount).toBeUndefined();
    expect(s.sim.journal.calls({ service: "ecs", operation: "ListTasks" })).toEqual([]);
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
    const report = await audit(s.settings(["web", "api", "arm", "eu"], { concurrency: 4 }), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
      events: timeline.sink,
    });
    const ecrRows = report.services.flatMap((x) => x.containers).filter((c) => c.registryId !== undefined);
    expect(ecrRows.map((c) => c.status)).toEqual(ecrRows.map(() => "COMPLETE"));
    expect(row(report, "api", "app").findings).toHaveLength(2500);
    const throttled = s.sim.journal.calls().filter((c) => c.errorCode === "ThrottlingException");
    expect(throttled).toHaveLength(9);
    const notices = timeline.events.filter((e) => e.type === "notice" && e.message.includes("concurrency lowered"));
    expect(notices.length).toBe(9);
    expect(notices.at(-1)).toMatchObject({ message: "AWS throttled the audit; concurrency lowered to 1" });
  });

  it("reports an image as ERROR when throttling outlasts every retry, and the others still complete", async () => {
    const s = await scenario();
    s.sim.faults.add([{ service: "ecr", operation: "DescribeImageScanFindings", effect: "throttle" }]);
    const report = await audit(s.settings(["web"]), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    expect(row(report, "web", "app")).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("ThrottlingException"),
    });
    expect(row(report, "web", "proxy").status).toBe("NOT_SCANNABLE");
  });
});

describe("ignore file and gate", () => {
  const IGNORE = `ignores:
  - id: CVE-2024-0001
    reason: openssl is not reachable from the network
    expires: 2026-12-31
  - id: CVE-2024-0002
    image: api
    reason: scoped to another image, so web keeps it
  - id: CVE-2024-0003
    reason: accepted last year
    expires: 2025-06-30
`;

  it("ignores accepted findings, counts them apart, and says when an entry has expired", async () => {
    const s = await scenario();
    const timeline = new Timeline();
    const ignore = parseIgnoreFile(IGNORE, ".cage-audit-ignore.yml");
    const report = await audit(s.settings(["web"], { ignore }), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
      events: timeline.sink,
    });
    const app = row(report, "web", "app");
    expect(app.ignored.map((i) => [i.finding.id, i.rule.line])).toEqual([["CVE-2024-0001", 2]]);
    expect(app.findings.map((f) => f.id)).toEqual(["CVE-2024-0002", "CVE-2024-0003", "CVE-2024-0004", "CVE-2024-0005"]);
    expect(report.expiredIgnores.map((e) => e.message)).toEqual([
      ".cage-audit-ignore.yml:8: the ignore entry for CVE-2024-0003 expired on 2025-06-30 and no longer ignores it " +
        "(reason given: accepted last year); fix the vulnerability, or renew 'expires' if the reason still holds",
    ]);
    expect(timeline.events).toContainEqual(expect.objectContaining({ type: "notice", level: "warning" }));
    expect(gate(report, { failOn: "critical", fixableOnly: false })).toEqual({
      failed: false,
      reason:
        "passed: no finding at or above CRITICAL; 2 image(s) not scanned (production/web log-router: NOT_SCANNABLE, production/web proxy: NOT_SCANNABLE)",
    });
    expect(gate(report, { failOn: "high", fixableOnly: false }).failed).toBe(true);
    const json = JSON.parse(renderJson(report));
    expect(json.summary).toMatchObject({
      critical_count: 0,
      high_count: 1,
      ignored_count: 1,
      highest_severity: "HIGH",
    });
  });

  it("renders SARIF at the line of the deploy context's task definition that declares each image", async () => {
    const s = await scenario();
    const text = JSON.stringify(
      { family: "web", containerDefinitions: [{ name: "app", image: `${ECR}/web:v1` }] },
      null,
      2,
    );
    const settings = s.settings(["web"], { source: "deploy-context" });
    settings.targets[0]!.taskDefinition = JSON.parse(text);
    const report = await audit(settings, { aws: s.sim.ports("us-east-1", { maxAttempts: 1 }), clock: s.sim.clock });
    const sarif = JSON.parse(
      renderSarif(report, { taskDefinitionText: text, taskDefinitionFile: "task-definition.json" }),
    );
    const lines = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region.startLine);
    expect(lines).toEqual([6, 6, 6, 6, 6]);
    expect(text.split("\n")[5]).toContain('"image"');
  });
});
