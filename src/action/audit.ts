/** `audit`: resolve the services, run the audit, publish counts, files, the summary, annotations and the gate. */
import { writeFileSync } from "node:fs";
import { auditResultOf, repositoryPath, summaryOf } from "../audit/index.js";
import { Timeline } from "../engine/events.js";
import { ACTION_NAMING } from "../inputs/naming.js";
import { targetOf } from "../inputs/settings.js";
import { workspaceOption } from "../inputs/workspace.js";
import { renderSummary } from "../report/summary.js";
import { annotate, imageAnnotations } from "./annotations.js";
import { type CommandDeps, engineDepsOf, runUrlOf } from "./deploy.js";
import { expandDeployContexts } from "./deploy-context-glob.js";
import type { AuditOutcome, AuditSettings } from "./engine.js";
import { publishAudit } from "./github-steps.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { setOutputs } from "./outputs.js";
import { announce, errorMessage, timelineJson, writeJsonFile, writeSummary } from "./publish.js";

export async function runAuditCommand(settings: ActionSettings, deps: CommandDeps): Promise<void> {
  const targets = await targetsOf(settings, deps);
  // Headings and annotation titles name up to three services; a monorepo's thirty are counted instead.
  const services = targets.length <= 3 ? targets.map((t) => t.service).join(", ") : `${targets.length} services`;
  const timeline = new Timeline();
  const log = new stepLog.GroupedLog();
  const engineDeps = engineDepsOf(settings, deps, [timeline.sink, log.write]);
  const auditSettings: AuditSettings = {
    targets,
    source: settings.audit.source,
    failOn: settings.audit.failOn,
    failOnFixableOnly: settings.audit.failOnFixableOnly,
    failOnUnscanned: settings.audit.failOnUnscanned,
    ignoreFile: settings.audit.ignoreFile,
    scanWaitTimeout: settings.audit.scanWaitTimeout,
    sarif: settings.audit.sarifFile !== undefined,
    ...workspaceOption(deps.env),
  };
  let outcome: AuditOutcome | undefined;
  let crash: string | undefined;
  try {
    outcome = await deps.engine.audit(auditSettings, engineDeps);
  } catch (error) {
    crash = `The audit stopped with an error: ${errorMessage(error)}`;
  } finally {
    log.close();
  }

  const result = auditResultOf(outcome?.gate, crash);
  const summary = outcome ? summaryOf(outcome.report.services) : undefined;
  const sarifFile = settings.audit.sarifFile;
  const sarifWritten = Boolean(sarifFile && outcome?.sarif !== undefined);
  if (sarifFile && outcome?.sarif !== undefined) writeFileSync(sarifFile, outcome.sarif);
  setOutputs({
    result: result.result,
    "timeline-json": writeJsonFile(deps.env, "timeline.json", {
      command: "audit",
      result,
      events: timelineJson(timeline.events),
    }),
    "audit-json": outcome ? writeJsonFile(deps.env, "audit.json", JSON.parse(outcome.json)) : undefined,
    // Without a report (the audit stopped), no count is known: empty, never 0 or NONE.
    ...(summary
      ? {
          "highest-severity": summary.highest,
          "critical-count": summary.severities.CRITICAL,
          "high-count": summary.severities.HIGH,
          "medium-count": summary.severities.MEDIUM,
          "low-count": summary.severities.LOW,
          "fixable-count": summary.fixable,
          "unscanned-count": summary.unscanned,
        }
      : {}),
    "sarif-file": sarifWritten ? sarifFile : undefined,
  });
  if (settings.summary) {
    const target = {
      region: settings.region,
      cluster: clustersOf(targets),
      service: services,
    };
    const input = {
      command: "audit" as const,
      target,
      events: timeline.events,
      result,
      audit: outcome?.report,
      runUrl: runUrlOf(deps.env),
    };
    writeSummary(deps.env, renderSummary(input, { detail: settings.audit.detail }));
  }
  if (outcome) {
    annotate(imageAnnotations(outcome.report, targets, settings.audit.failOn), outcome.gate.failed);
    await publishAudit(settings, outcome.report, deps.env, deps.github, runUrlOf(deps.env));
  }
  const title = `Audit of ${services} ${result.result === "succeeded" ? "passed" : "failed"}`;
  // Images that could not be scanned but do not fail (fail-on-unscanned) pass as a warning, not a notice.
  if (result.result === "succeeded" && outcome?.gate.warned) stepLog.warning(result.message, { title });
  else announce(result.result, title, result.message);
}

async function targetsOf(settings: ActionSettings, deps: CommandDeps): Promise<AuditSettings["targets"]> {
  const region = settings.region;
  if (settings.deployContexts.length === 0) return settings.services.map((t) => ({ region, ...t }));
  const targets: AuditSettings["targets"] = [];
  for (const dir of await expandDeployContexts(settings.deployContexts, deps.env)) {
    const context = await stepLog.group(`Deploy context ${dir}`, () =>
      deps.engine.loadContext(dir, {
        env: deps.env,
        serviceOnly: settings.audit.source !== "deploy-context",
        ...workspaceOption(deps.env),
      }),
    );
    // SARIF locations and annotations name files from the repository's root, whatever form 'deploy-context' took.
    const root = deps.env.GITHUB_WORKSPACE?.trim() || process.cwd();
    const taskDefinitionFile = context.taskDefinitionFile && repositoryPath(context.taskDefinitionFile, root);
    targets.push({
      ...targetOf(settings, context, ACTION_NAMING),
      context: taskDefinitionFile ? { ...context, taskDefinitionFile } : context,
    });
  }
  return targets;
}

function clustersOf(targets: { cluster: string }[]): string {
  const clusters = [...new Set(targets.map((t) => t.cluster))];
  return clusters.length <= 3 ? clusters.join(", ") : `${clusters.length} clusters`;
}
