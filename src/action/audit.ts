/** `audit`: resolve the services, run the audit, publish counts, files, the summary and the gate. */
import { writeFileSync } from "node:fs";
import * as core from "@actions/core";
import { Timeline } from "../engine/events.js";
import type { CommandResult, EngineDeps } from "../engine/settings.js";
import { type AuditReport, SEVERITIES, type Severity } from "../report/audit-markdown.js";
import { renderSummary } from "../report/summary.js";
import { annotate, imageAnnotations } from "./annotations.js";
import { type CommandDeps, runUrlOf } from "./deploy.js";
import type { AuditOutcome, AuditSettings } from "./engine.js";
import { publishAudit } from "./github-steps.js";
import { type ActionSettings, InputError } from "./inputs.js";
import { GroupedLog } from "./log.js";
import { setOutputs } from "./outputs.js";
import { announce, errorMessage, writeJsonFile, writeSummary } from "./publish.js";

export async function runAuditCommand(settings: ActionSettings, deps: CommandDeps): Promise<AuditOutcome> {
  const targets = await targetsOf(settings, deps);
  const timeline = new Timeline();
  const log = new GroupedLog();
  const engineDeps: EngineDeps = {
    aws: deps.aws(settings),
    clock: deps.clock,
    signal: deps.signal,
    events: (event) => {
      timeline.sink(event);
      log.write(event);
    },
  };
  const auditSettings: AuditSettings = {
    region: settings.region,
    targets,
    source: settings.audit.source,
    failOn: settings.audit.failOn,
    failOnFixableOnly: settings.audit.failOnFixableOnly,
    ignoreFile: settings.audit.ignoreFile,
    scanWaitTimeout: settings.audit.scanWaitTimeout,
    sarif: settings.audit.sarifFile !== undefined,
  };
  let outcome: AuditOutcome;
  try {
    outcome = await deps.engine.audit(auditSettings, engineDeps);
  } catch (error) {
    outcome = { reports: [], gateFailed: true, message: `The audit stopped with an error: ${errorMessage(error)}` };
  } finally {
    log.close();
  }

  const counts = countsOf(outcome.reports);
  const sarifFile = settings.audit.sarifFile;
  if (sarifFile && outcome.sarif !== undefined) writeFileSync(sarifFile, outcome.sarif);
  const result: CommandResult = {
    result: outcome.gateFailed ? "failed" : "succeeded",
    message: outcome.message,
    serviceChanged: false,
  };
  setOutputs({
    result: result.result,
    "timeline-json": writeJsonFile(deps.env, "timeline.json", { command: "audit", result, events: timeline.events }),
    "audit-json": writeJsonFile(deps.env, "audit.json", outcome.json ?? outcome.reports),
    "highest-severity": counts.highest,
    "critical-count": counts.CRITICAL,
    "high-count": counts.HIGH,
    "medium-count": counts.MEDIUM,
    "low-count": counts.LOW,
    "fixable-count": counts.fixable,
    "sarif-file": sarifFile && outcome.sarif !== undefined ? sarifFile : undefined,
  });
  const services = targets.map((t) => t.service).join(", ");
  if (settings.summary) {
    const target = { region: settings.region, cluster: targets.map((t) => t.cluster).join(", "), service: services };
    const markdown = renderSummary(
      { command: "audit", target, events: timeline.events, result, audit: outcome.reports, runUrl: runUrlOf(deps.env) },
      { detail: settings.audit.detail },
    );
    writeSummary(deps.env, markdown);
  }
  const contexts = outcome.reports.map((report) => ({
    report,
    context: targets.find((t) => t.cluster === report.cluster && t.service === report.service)?.context,
  }));
  annotate(imageAnnotations(contexts, settings.audit.failOn), outcome.gateFailed);
  await publishAudit(settings, outcome.reports, deps.env, deps.github, runUrlOf(deps.env));
  announce(
    result.result,
    `Audit of ${services} ${result.result === "succeeded" ? "passed" : "failed"}`,
    result.message,
  );
  return outcome;
}

async function targetsOf(settings: ActionSettings, deps: CommandDeps): Promise<AuditSettings["targets"]> {
  if (settings.deployContexts.length === 0) {
    return [{ cluster: settings.cluster as string, service: settings.service as string }];
  }
  const targets: AuditSettings["targets"] = [];
  for (const dir of settings.deployContexts) {
    const context = await core.group(`Deploy context ${dir}`, () => deps.engine.loadContext(dir, deps.env));
    const service = settings.service ?? context.service.serviceName;
    if (!service)
      throw new InputError(`'service' is empty and ${context.serviceFile} has no serviceName: set one of them`);
    targets.push({ cluster: settings.cluster ?? context.service.cluster ?? "default", service, context });
  }
  return targets;
}

type Counts = Record<Severity, number> & { fixable: number; highest: Severity | "NONE" };

export function countsOf(reports: AuditReport[]): Counts {
  const counts = { ...Object.fromEntries(SEVERITIES.map((s) => [s, 0])), fixable: 0, highest: "NONE" } as Counts;
  for (const report of reports) {
    for (const finding of report.findings) {
      counts[finding.severity] += 1;
      if (finding.fixedInVersion) counts.fixable += 1;
    }
  }
  counts.highest = SEVERITIES.find((s) => s !== "UNDEFINED" && counts[s] > 0) ?? "NONE";
  return counts;
}
