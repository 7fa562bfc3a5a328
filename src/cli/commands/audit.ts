/** `cage audit`: findings of the images one or many services run, as a table, detail, JSON or SARIF, with a gate. */
import { statSync, writeFileSync } from "node:fs";
import {
  type AuditReport,
  type AuditSettings,
  type AuditSource,
  type AuditTarget,
  audit,
  auditResultOf,
  FAIL_ON,
  FAIL_ON_UNSCANNED,
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
import { resolveTarget } from "../../context/target.js";
import type { CageEvent } from "../../engine/events.js";
import { InputError, oneOf } from "../../inputs/validate.js";
import { workspaceOption } from "../../inputs/workspace.js";
import { renderSummary } from "../../report/summary.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { commonSettings, durationFlag, outputFileFrom } from "../settings.js";

const SOURCES = ["running", "task-definition", "deploy-context"] as const;
const PAIR = /^[A-Za-z0-9_-]{1,255}\/[A-Za-z0-9_-]{1,255}$/;

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Each positional is a deploy-context folder or a `cluster/service` pair; none means --cluster and --service. */
export function auditTargetsFrom(args: ParsedArgs, env: CliIo["env"], region: string, source: AuditSource) {
  const flag = (name: string) => (typeof args.values[name] === "string" ? (args.values[name] as string) : undefined);
  const targets: AuditTarget[] = [];
  const files: Record<string, string> = {};
  const dirs: string[] = [];
  for (const arg of args.positionals) {
    if (!isFolder(arg) && PAIR.test(arg)) {
      const [cluster, service] = arg.split("/") as [string, string];
      targets.push({ region, cluster, service });
      continue;
    }
    const context = loadDeployContext(arg, { env, serviceOnly: source !== "deploy-context", ...workspaceOption(env) });
    const t = resolveTarget({ cluster: flag("cluster"), service: flag("service") }, context);
    if (!t.cluster || !t.service) {
      throw new InputError(
        `${context.serviceFile} names no ${t.cluster ? "serviceName" : "cluster"}; set it, or give --cluster/--service`,
      );
    }
    dirs.push(arg);
    // SARIF names files from where cage runs (the repository's root in a workflow's run: step).
    const file = context.taskDefinitionFile && repositoryPath(context.taskDefinitionFile, process.cwd());
    if (file && context.taskDefinitionText) files[file] = context.taskDefinitionText;
    targets.push({
      region,
      cluster: t.cluster,
      service: t.service,
      ...(context.taskDefinition ? { taskDefinition: context.taskDefinition } : {}),
      ...(file ? { taskDefinitionFile: file } : {}),
    });
  }
  if (targets.length === 0) {
    const cluster = flag("cluster");
    const service = flag("service");
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
  const str = (name: string) => (typeof args.values[name] === "string" ? (args.values[name] as string) : undefined);
  const source = oneOf("--audit-source", str("audit-source") ?? "running", SOURCES);
  const failOn = oneOf("--fail-on", str("fail-on") ?? "none", FAIL_ON);
  const failOnUnscanned = oneOf("--fail-on-unscanned", str("fail-on-unscanned") ?? "private", FAIL_ON_UNSCANNED);
  const sarif = outputFileFrom(args, "sarif", io.env);
  const { targets, files, dirs } = auditTargetsFrom(args, io.env, region, source);
  const ignorePath = str("ignore-file") ?? (await findIgnoreFile([...dirs, "."]));
  const settings: AuditSettings = {
    targets,
    source,
    scanWaitTimeout: durationFlag(args, "scan-wait-timeout", 5 * 60_000),
    ...(ignorePath ? { ignore: await readIgnoreFile(ignorePath, workspaceOption(io.env)) } : {}),
  };
  const events: CageEvent[] = [];
  const report: AuditReport = await audit(settings, {
    aws: ports(aws),
    clock: io.clock,
    events: (e) => events.push(e),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (args.values.json === true) io.out(renderJson(report));
  else {
    io.out(renderTable(report));
    if (args.values.detail === true) io.out(renderDetail(report));
  }
  if (sarif) {
    const onTruncated = (written: number, total: number) =>
      io.err(
        `cage: ${sarif}: wrote the ${written} most severe of ${total} results; GitHub code scanning rejects a run of more than ${SARIF_MAX_RESULTS} (--json has them all)`,
      );
    writeFileSync(sarif, renderSarif(report, { files, onTruncated }));
  }
  const verdict = gate(report, { failOn, fixableOnly: args.values["fail-on-fixable-only"] === true, failOnUnscanned });
  (verdict.failed ? io.err : args.values.json === true ? io.err : io.out)(`audit ${verdict.reason}`);
  const summary = outputFileFrom(args, "summary", io.env);
  if (summary) {
    const result = auditResultOf(verdict);
    const target = { region, cluster: named(targets, "cluster"), service: named(targets, "service") };
    const markdown = renderSummary(
      { command: "audit", target, events, result, audit: report },
      { detail: args.values.detail === true },
    );
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
