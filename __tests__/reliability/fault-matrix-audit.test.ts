/**
 * The audit under the same five transient faults, at the first and the last call of every AWS operation it makes
 * (ECS and ECR, from a clean audit's journal): every one is absorbed, every row is as in a clean audit. A fault that
 * never stops: every container the clean audit reported is still there, as it was or with a reason saying what
 * failed, and the audit never throws. In each, what `cage audit --detail` prints holds nothing that could act.
 */
import { afterAll, describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { renderDetail, renderTable } from "../../src/audit/render-text.js";
import type { AuditReport, ContainerAudit } from "../../src/audit/types.js";
import { lineWriter } from "../../src/cli/io.js";
import type { CageEvent } from "../../src/engine/events.js";
import { actingParts, PAYLOAD } from "../action/runner-log.js";
import { type Scenario, scenario } from "../audit/sim-world.js";
import type { Stamped } from "./harness.js";
import { faultMatrix, sitesOf } from "./sites.js";
import { finish, tally } from "./tally.js";

tally.start("Fault matrix (audit)");

const SERVICES = ["web", "api", "arm", "eu", "odd"];

async function auditOf(s: Scenario): Promise<{ report: AuditReport; stamped: Stamped[] }> {
  const stamped: Stamped[] = [];
  const events = (event: CageEvent) => stamped.push({ event, calls: s.sim.journal.calls().length });
  const report = await audit(s.settings(SERVICES), {
    aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
    ecsIn: (region) => s.sim.ports(region, { maxAttempts: 1 }).ecs,
    clock: s.sim.clock,
    events,
  });
  return { report, stamped };
}

/** What a row says about its image, without the wording of a reason. */
function rowsOf(report: AuditReport): Map<string, ContainerAudit> {
  const rows = new Map<string, ContainerAudit>();
  for (const svc of report.services) for (const c of svc.containers) rows.set(`${svc.service}/${c.name}`, c);
  return rows;
}

const same = (a: ContainerAudit, b: ContainerAudit) =>
  a.status === b.status &&
  a.digest === b.digest &&
  JSON.stringify(a.findings.map((f) => f.id)) === JSON.stringify(b.findings.map((f) => f.id));

/** What went wrong with the rows: a row missing without its service's error, or changed without a reason. */
function rowProblems(report: AuditReport): { problems: string[]; changed: number } {
  const rows = rowsOf(report);
  const problems: string[] = [];
  let changed = 0;
  for (const [key, before] of clean.rows) {
    const after = rows.get(key);
    if (after && same(before, after)) continue;
    changed++;
    const service = report.services.find((svc) => svc.service === key.split("/")[0]);
    if (!after) {
      if (!service?.error?.reason) problems.push(`${key}: missing, and its service has no error`);
    } else if (after.status === "COMPLETE" || !after.reason) {
      problems.push(`${key}: ${after.status} differs from the clean ${before.status} without a reason`);
    }
  }
  tally.invariants(1, problems.length > 0 ? 1 : 0);
  return { problems, changed };
}

/** What `cage audit --detail` prints for the report: no line the runner would run, no control character. */
function printedProblems(report: AuditReport): string[] {
  let out = "";
  const print = lineWriter({ write: (text: string) => (out += text) });
  print(renderTable(report));
  print(renderDetail(report));
  const problems = actingParts(out);
  tally.invariants(1, problems.length > 0 ? 1 : 0);
  return problems;
}

const clean = await (async () => {
  const s = await scenario();
  s.sim.journal.clear();
  const { report, stamped } = await auditOf(s);
  return { rows: rowsOf(report), sites: sitesOf(s.sim.journal.calls(), stamped) };
})();
const matrix = faultMatrix(clean.sites).map((m) => ({ ...m, call: m.after === 0 ? "first" : `last (${m.after + 1})` }));
const ENDLESS = ["DescribeServices", "DescribeTaskDefinition", "BatchGetImage", "DescribeImageScanFindings"];
const endless: string[] = [];
let transientChanges = 0;

afterAll(() => {
  tally.row("operations", [...new Set(matrix.map((m) => m.operation))].sort().join(", "));
  tally.row("sites (operation, first or last call)", clean.sites.length);
  tally.row("rows in the clean audit", clean.rows.size);
  tally.row("one transient fault: rows that differ from the clean audit", transientChanges);
  tally.row("a fault that never stops", endless.join("; "));
  const stale = finish("fault-matrix-audit", matrix.length + ENDLESS.length + 1);
  if (stale) throw new Error(stale);
});

describe("an audit under one transient fault", () => {
  it.each(matrix)("$operation ($call call), $fault: absorbed, every row as in a clean audit", async (m) => {
    const s = await scenario();
    s.sim.journal.clear();
    s.sim.faults.add([{ service: m.service, operation: m.operation, after: m.after, ...m.rule }]);
    const { report } = await auditOf(s);
    const injected = s.sim.journal.calls().filter((c) => c.fault).length;
    tally.scenario(injected);
    expect(injected).toBeGreaterThan(0);
    expect(() => renderTable(report)).not.toThrow();
    const { problems, changed } = rowProblems(report);
    transientChanges += changed;
    expect([...problems, ...printedProblems(report)]).toEqual([]);
    expect(changed).toBe(0);
  });
});

describe("an audit under a fault that never stops", () => {
  it.each(ENDLESS)("%s throttled for good: no crash, every row there or its service's error says why", async (op) => {
    const s = await scenario();
    s.sim.journal.clear();
    s.sim.faults.add([{ operation: op, effect: "throttle" }]);
    const started = s.sim.clock.now();
    const { report } = await auditOf(s);
    tally.scenario(s.sim.journal.calls().filter((c) => c.fault).length);
    expect(() => renderTable(report)).not.toThrow();
    const { problems, changed } = rowProblems(report);
    endless.push(`${op}: ${changed} of ${clean.rows.size} rows differ, each saying why`);
    expect([...problems, ...printedProblems(report)]).toEqual([]);
    expect(changed).toBeGreaterThan(0);
    // Bounded: the limiter's retries back off for about a minute per call, not forever.
    expect(s.sim.clock.now() - started).toBeLessThan(30 * 60_000);
  });
});

describe("an audit whose error carries workflow commands", () => {
  it("ECR refuses DescribeImageScanFindings with them in its message: the table and detail show it inert", async () => {
    const s = await scenario();
    s.sim.journal.clear();
    s.sim.faults.add([
      { operation: "DescribeImageScanFindings", effect: "error", code: "ValidationException", message: PAYLOAD },
    ]);
    const { report } = await auditOf(s);
    tally.scenario(s.sim.journal.calls().filter((c) => c.fault).length);
    const reasons = report.services.flatMap((svc) => svc.containers.map((c) => c.reason ?? ""));
    expect(reasons.some((r) => r.includes("::add-mask::web"))).toBe(true);
    expect(printedProblems(report)).toEqual([]);
    expect(renderTable(report)).toContain("ops\\n::error title=Deploy OK::pwned");
  });
});
