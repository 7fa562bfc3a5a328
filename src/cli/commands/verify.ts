/** `cage verify`: the checklist of what a rollout of the context needs, from read calls only; exit 1 on any [NG]. */
import { writeFileSync } from "node:fs";
import { createAwsPorts } from "../../aws/clients.js";
import { DeployContextError } from "../../context/load.js";
import { FIELDS as F } from "../../inputs/fields.js";
import { CLI_NAMING } from "../../inputs/naming.js";
import { workspaceOption } from "../../inputs/workspace.js";
import { inert } from "../../shared/inert.js";
import { withIgnoreFile } from "../../verify/ignore.js";
import { countsLine, renderChecklist, renderChecklistMarkdown } from "../../verify/render.js";
import type { VerifyReport } from "../../verify/types.js";
import { reportOf, verify } from "../../verify/verify.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { checkedValues, outputFileFrom, verifySettingsFrom } from "../settings.js";

export async function verifyCommand(args: ParsedArgs, io: CliIo, ports = createAwsPorts): Promise<number> {
  const report = await checklistOf(args, io, ports);
  printReport(report, args, io);
  const summary = outputFileFrom(args, F.summaryFile, io.env);
  if (summary) {
    writeFileSync(summary, renderChecklistMarkdown(report));
    io.err(`summary written to ${summary}`);
  }
  return report.failed ? 1 : 0;
}

/** A context that does not load is the first [NG]: the rest cannot be checked without it. */
async function checklistOf(args: ParsedArgs, io: CliIo, ports: typeof createAwsPorts): Promise<VerifyReport> {
  let prepared: ReturnType<typeof verifySettingsFrom>;
  try {
    prepared = verifySettingsFrom(args, io.env);
  } catch (error) {
    if (!(error instanceof DeployContextError)) throw error;
    return reportOf([
      { name: "deploy context is valid", status: "NG", reason: error.message },
      { name: "everything else", status: "SKIP", reason: "needs a deploy context that loads" },
    ]);
  }
  const values = checkedValues(args);
  const timeout = values.get(F.timeout);
  const settings = await withIgnoreFile(prepared.settings, values.get(F.ignoreFile), workspaceOption(io.env));
  const deps = { aws: ports(prepared.aws), clock: io.clock, naming: CLI_NAMING, events: () => {} };
  return verify(settings, io.signal ? { ...deps, signal: io.signal } : deps, timeout);
}

export function printReport(report: VerifyReport, args: ParsedArgs, io: CliIo): void {
  if (args.values.get(F.json) === true) {
    io.out(JSON.stringify(report, null, 2));
    return;
  }
  for (const line of renderChecklist(report)) io.out(line);
  (report.failed ? io.err : io.out)(inert(countsLine(report)));
}
