/**
 * Issue 7 item 2 (and issue 5's scale benchmark): 200 services × 4 containers × 2,000 findings with 30 ms added
 * to every call, in-process and over HTTP (`serve()` on loopback, real time).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { it } from "vitest";
import { audit } from "../src/audit/audit.js";
import type { AuditReport, AuditSettings } from "../src/audit/types.js";
import { createAwsPorts } from "../src/aws/clients.js";
import { systemClock } from "../src/engine/clock.js";
import type { CageEvent } from "../src/engine/events.js";
import { ScaledClock } from "../src/sim/clock.js";
import { serve } from "../src/sim/serve.js";
import { createSimulator, type WorldLike } from "../src/sim/simulator.js";
import { World, WorldBuilder } from "../src/sim/world/index.js";
import { median, OUT_DIR, ratio, runs, verdict, writeResult } from "./results.js";

/**
 * Issue 5 asks for 200 (BENCH_AUDIT_SERVICES=200); one such run did not finish in 10 minutes on the 2-core
 * machine the committed figures come from, so the default is 20. The tables name the size that ran.
 */
const SERVICES = Number(process.env.BENCH_AUDIT_SERVICES ?? "20");
const CONTAINERS = ["app", "sidecar", "proxy", "agent"];
const FINDINGS = 2000;
const LATENCY = 30;
const LIMIT = 8;
const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const name = (i: number) => `svc-${String(i).padStart(3, "0")}`;

function scaleWorld(): WorldBuilder {
  const b = new WorldBuilder({
    region: "us-east-1",
    accountId: "123456789012",
    vpcs: [{ vpcId: "vpc-0a1b2c3d4e5f67890", cidrBlock: "10.0.0.0/16" }],
    subnets: [
      {
        subnetId: "subnet-0a1b2c3d4e5f60001",
        vpcId: "vpc-0a1b2c3d4e5f67890",
        availabilityZone: "us-east-1a",
        cidrBlock: "10.0.1.0/24",
      },
    ],
    clusters: [{ name: "production" }],
  });
  CONTAINERS.forEach((container, c) => {
    b.repository({
      name: container,
      scanType: "ENHANCED",
      images: Array.from({ length: SERVICES }, (_, i) => ({
        tags: [name(i)],
        scan: { status: "COMPLETE" as const, findings: { generate: { count: FINDINGS, seed: c * SERVICES + i + 1 } } },
      })),
    });
  });
  for (let i = 0; i < SERVICES; i += 1) {
    b.taskDefinition({
      family: name(i),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: CONTAINERS.map((c) => ({
        name: c,
        image: `${ECR}/${c}:${name(i)}`,
        essential: c === "app",
      })),
    });
    b.service({
      cluster: "production",
      serviceName: name(i),
      taskDefinition: name(i),
      desiredCount: 0,
      launchType: "FARGATE",
      subnets: ["subnet-0a1b2c3d4e5f60001"],
      securityGroups: [],
    });
  }
  return b;
}

const settings = (concurrency: number): AuditSettings => ({
  targets: Array.from({ length: SERVICES }, (_, i) => ({
    region: "us-east-1",
    cluster: "production",
    service: name(i),
  })),
  source: "task-definition",
  scanWaitTimeout: 0,
  concurrency,
});

const LATENCY_RULE = { effect: "latency" as const, latencyMs: LATENCY };
/** One call in 50 to ECR throttled: the audit must back off and still read everything. */
const THROTTLE_RULE = { service: "ecr" as const, effect: "throttle" as const, rate: 0.02 };

/** What must not depend on concurrency or transport: every row's status and its findings' ids and severities. */
const contents = (report: AuditReport) =>
  JSON.stringify(
    report.services.map((s) => [
      s.service,
      s.containers.map((c) => [c.name, c.status, c.findings.map((f) => `${f.id} ${f.severity}`)]),
    ]),
  );

function peakHeap() {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().heapUsed);
  };
}

/**
 * In real time (a ScaledClock at 1×) when timed: the virtual clock spends injected latency one request after the
 * other, so concurrent calls would not overlap. The sequential and throttled runs use virtual time.
 */
async function inProcess(concurrency: number, throttle: boolean, realTime: boolean, latency = true) {
  const sim = createSimulator({
    world: (clock) => scaleWorld().build(clock, "audit-scale") as unknown as WorldLike,
    ...(realTime ? { clock: new ScaledClock({ scale: 1 }) } : {}),
  });
  sim.faults.add([...(latency ? [LATENCY_RULE] : []), ...(throttle ? [THROTTLE_RULE] : [])]);
  const events: CageEvent[] = [];
  const start = sim.clock.now();
  const t = performance.now();
  const report = await audit(settings(concurrency), {
    aws: sim.ports("us-east-1", { maxAttempts: 1 }),
    clock: sim.clock,
    events: (e) => events.push(e),
  });
  return {
    virtual: sim.clock.now() - start,
    wall: performance.now() - t,
    calls: sim.journal.calls().length,
    throttled: sim.journal.calls().filter((c) => c.errorCode?.includes("Throttl")).length,
    report,
  };
}

async function overHttp(file: string) {
  const running = await serve({
    worldFile: file,
    port: 0,
    loadWorld: (json, source, clock, variant) => World.fromJson(json, source, clock, variant) as unknown as WorldLike,
    log: () => {},
  });
  running.sim.faults.add([LATENCY_RULE]);
  const url = running.url;
  const aws = createAwsPorts({
    region: "us-east-1",
    endpoints: { ecs: url, ecr: url, elbv2: url, ec2: url },
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const t = performance.now();
  const report = await audit(settings(LIMIT), { aws, clock: systemClock });
  const wall = performance.now() - t;
  const calls = running.sim.journal.calls().length;
  await running.close();
  return { wall, calls, report };
}

it("audit at scale, in-process and over HTTP", async () => {
  const n = runs(3);
  const heap = peakHeap();
  const parallel = [];
  const floors = [];
  await inProcess(LIMIT, false, true, false);
  for (let i = 0; i < n; i += 1) {
    parallel.push(await inProcess(LIMIT, false, true));
    floors.push(await inProcess(LIMIT, false, true, false));
  }
  const first = parallel[0]!;
  const floor = { wall: median(floors.map((r) => r.wall)) };
  const sequential = await inProcess(1, false, false);
  const throttled = await inProcess(LIMIT, true, false);
  const inProcessHeap = heap();
  const inProcessRss = process.resourceUsage().maxRSS / 1024;

  mkdirSync(OUT_DIR, { recursive: true });
  const file = `${OUT_DIR}../audit-world.json`;
  writeFileSync(file, JSON.stringify(scaleWorld().toJson()));
  const http = [];
  for (let i = 0; i < Math.min(n, 2); i += 1) http.push(await overHttp(file));

  const idealOf = (calls: number) => (calls * LATENCY) / LIMIT;
  const inWall = median(parallel.map((r) => r.wall));
  const wall = median(http.map((r) => r.wall));
  const httpCalls = http[0]!.calls;
  const same = contents(sequential.report) === contents(first.report);
  const sameHttp = http.every((r) => contents(r.report) === contents(first.report));
  const sameThrottled = contents(throttled.report) === contents(first.report);
  const rows = first.report.services.flatMap((s) => s.containers);
  const findings = rows.reduce((sum, c) => sum + c.findings.length, 0);

  writeResult("audit", {
    order: 2,
    section: "Audit at scale",
    tables: [
      {
        title: `${SERVICES} services × ${CONTAINERS.length} containers × ${FINDINGS} findings, ${LATENCY} ms added per call, concurrency ${LIMIT}`,
        about:
          `Source task-definition; ${rows.length} rows and ${findings} findings read. Ideal: calls × ${LATENCY} ms / ${LIMIT}. ` +
          `In-process: the simulator on a real-time clock, after a warm-up, runs with and without the latency alternating, medians of ${n}. Over HTTP: \`serve()\` on 127.0.0.1, median of ${Math.min(n, 2)}. Target: ≤ 1.5 × ideal.`,
        columns: [
          "transport",
          "calls",
          "wall",
          "ideal",
          "ratio",
          "≤ 1.5×",
          "same run without the latency (CPU floor)",
          "(wall − floor) / ideal",
        ],
        rows: [
          [
            "in-process (real time)",
            first.calls,
            `${(inWall / 1000).toFixed(1)} s`,
            `${(idealOf(first.calls) / 1000).toFixed(1)} s`,
            ratio(inWall / idealOf(first.calls)),
            verdict(inWall <= 1.5 * idealOf(first.calls)),
            `${(floor.wall / 1000).toFixed(1)} s`,
            ratio((inWall - floor.wall) / idealOf(first.calls)),
          ],
          [
            "HTTP loopback (real time)",
            httpCalls,
            `${(wall / 1000).toFixed(1)} s`,
            `${(idealOf(httpCalls) / 1000).toFixed(1)} s`,
            ratio(wall / idealOf(httpCalls)),
            verdict(wall <= 1.5 * idealOf(httpCalls)),
            "",
            "",
          ],
        ],
      },
      {
        title: "Audit at scale: correctness, throttling and memory",
        about:
          "Identical: the rows and findings equal those of a sequential run (concurrency 1). Throttling: 2% of ECR calls answered ThrottlingException on top of the latency. " +
          "The CPU floor column shows how much of the wall time is the simulator and the SDK building and parsing 1,000-finding pages on this machine rather than waiting. " +
          "Memory is the benchmark worker's (simulator, world and vitest included), so it bounds the audit's own from above. Target: peak under 300 MB.",
        columns: ["check", "measured", "target", "pass"],
        rows: [
          ["identical to sequential (in-process)", same ? "yes" : "no", "yes", verdict(same)],
          ["identical over HTTP", sameHttp ? "yes" : "no", "yes", verdict(sameHttp)],
          [
            "throttling survived",
            `${throttled.throttled} throttled calls, ${sameThrottled ? "same rows" : "rows differ"}, ${(throttled.virtual / 1000).toFixed(1)} s virtual`,
            "same rows",
            verdict(sameThrottled),
          ],
          ["sequential run (virtual time)", `${(sequential.virtual / 1000).toFixed(1)} s`, "", ""],
          [
            "peak heap, in-process runs",
            `${(inProcessHeap / 2 ** 20).toFixed(0)} MB`,
            "< 300 MB",
            verdict(inProcessHeap < 300 * 2 ** 20),
          ],
          ["peak RSS of the worker (maxRSS)", `${inProcessRss.toFixed(0)} MB`, "< 300 MB", verdict(inProcessRss < 300)],
        ],
      },
    ],
  });
});
