/** `cage audit`: findings of the images one or many services run, as a table, detail, JSON or SARIF, with a gate. */
import { statSync, writeFileSync } from "node:fs";
import {
  type AuditReport,
  type AuditSettings,
  type AuditSource,
  type AuditTarget,
  audit,
  auditResultOf,
  findIgnoreFile,
  gate,
  readIgnoreFile,
  renderDetail,
  renderJson,
  renderSarif,
  renderTable,
  repositoryPath,
  SARIF_MAX_RESULTS,
} from "../../audit/index.js";
import { createAwsPorts } from "../../aws/clients.js";
import { loadDeployContext } from "../../context/load.js";
import type { CageEvent } from "../../engine/events.js";
import { FIELDS as F } from "../../inputs/fields.js";
import { CLI_NAMING } from "../../inputs/naming.js";
import { targetOf } from "../../inputs/settings.js";
import { InputError, servicePairOf } from "../../inputs/validate.js";
import { workspaceOption } from "../../inputs/workspace.js";
import { renderSummary } from "../../report/summary.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { auditInputsFrom, commonSettings, outputFileFrom } from "../settings.js";

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Each positional is a deploy-context folder or a `cluster/service` pair; none means --cluster and --service. */
export function auditTargetsFrom(args: ParsedArgs, env: CliIo["env"], region: string, source: AuditSource) {
  const explicit = { region, cluster: args.values.get(F.cluster), service: args.values.get(F.service) };
  const targets: AuditTarget[] = [];
  const files: Record<string, string> = {};
  const dirs: string[] = [];
  for (const arg of args.positionals) {
    const pair = isFolder(arg) ? undefined : servicePairOf(arg);
    if (pair) {
      targets.push({ region, ...pair });
      continue;
    }
    const context = loadDeployContext(arg, { env, serviceOnly: source !== "deploy-context", ...workspaceOption(env) });
    const t = targetOf(explicit, context, CLI_NAMING);
    dirs.push(arg);
    // SARIF names files from where cage runs (the repository's root in a workflow's run: step).
    const file = context.taskDefinitionFile && repositoryPath(context.taskDefinitionFile, process.cwd());
    if (file && context.taskDefinitionText) files[file] = context.taskDefinitionText;
    targets.push({
      ...t,
      ...(context.taskDefinition ? { taskDefinition: context.taskDefinition } : {}),
      ...(file ? { taskDefinitionFile: file } : {}),
    });
  }
  if (targets.length === 0) {
    const { cluster, service } = explicit;
    if (!cluster || !service) {
      throw new InputError(
        "say what to audit: deploy-context folders, cluster/service pairs, or --cluster and --service",
      );
    }
    if (source === "deploy-context")
      throw new InputError("--audit-source deploy-context needs a deploy-context folder");
    targets.push({ region, cluster, service });
  }
  return { targets, files, dirs };
}

export async function auditCommand(args: ParsedArgs, io: CliIo, ports = createAwsPorts): Promise<number> {
  const { region, aws } = commonSettings(args, io.env);
  const { source, failOn, failOnFixableOnly, failOnUnscanned, ignoreFile, scanWaitTimeout, detail } =
    auditInputsFrom(args);
  const json = args.values.get(F.json);
  const sarif = outputFileFrom(args, F.sarif, io.env);
  const { targets, files, dirs } = auditTargetsFrom(args, io.env, region, source);
  const ignorePath = ignoreFile ?? (await findIgnoreFile([...dirs, "."]));
  const settings: AuditSettings = {
    targets,
    source,
    scanWaitTimeout,
    ...(ignorePath ? { ignore: await readIgnoreFile(ignorePath, workspaceOption(io.env)) } : {}),
  };
  const events: CageEvent[] = [];
  const report: AuditReport = await audit(settings, {
    aws: ports(aws),
    clock: io.clock,
    events: (e) => events.push(e),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (json) io.out(renderJson(report));
  else {
    io.out(renderTable(report));
    if (detail) io.out(renderDetail(report));
  }
  if (sarif) {
    const onTruncated = (written: number, total: number) =>
      io.err(
        `cage: ${sarif}: wrote the ${written} most severe of ${total} results; GitHub code scanning rejects a run of more than ${SARIF_MAX_RESULTS} (--json has them all)`,
      );
    writeFileSync(sarif, renderSarif(report, { files, onTruncated }));
  }
  const verdict = gate(report, { failOn, fixableOnly: failOnFixableOnly, failOnUnscanned });
  (verdict.failed || json ? io.err : io.out)(`audit ${verdict.reason}`);
  const summary = outputFileFrom(args, F.summaryFile, io.env);
  if (summary) {
    const result = auditResultOf(verdict);
    const target = { region, cluster: named(targets, "cluster"), service: named(targets, "service") };
    const markdown = renderSummary({ command: "audit", target, events, result, audit: report }, { detail });
    writeFileSync(summary, markdown);
    io.err(`summary written to ${summary}`);
  }
  return verdict.failed ? 1 : 0;
}

/** For the summary's heading: up to three names, else a count ("12 services"). */
function named(targets: AuditTarget[], key: "cluster" | "service"): string {
  const names = [...new Set(targets.map((t) => t[key]))];
  return names.length <= 3 ? names.join(", ") : `${names.length} ${key === "cluster" ? "clusters" : "services"}`;
}
