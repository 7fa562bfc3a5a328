/** `cage diff`: what a rollout of a deploy context would change, as a unified diff; exit 1 with --exit-code. */
import { writeFileSync } from "node:fs";
import { createAwsPorts } from "../../aws/clients.js";
import type { DeployContext } from "../../context/types.js";
import { FIELDS as F } from "../../inputs/fields.js";
import { CLI_NAMING } from "../../inputs/naming.js";
import { deployInputsOf, targetOf } from "../../inputs/settings.js";
import { type DiffPlan, diffSettingsOf, planDiff } from "../../plan/plan.js";
import { diffLines, diffMarkdown, diffText, type LineRole } from "../../plan/render.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { checkedValues, commonSettings, contextFrom, outputFileFrom } from "../settings.js";

/** SGR colours as `git diff` uses them. */
const COLOUR: Record<LineRole, string | undefined> = {
  header: "1",
  hunk: "36",
  removed: "31",
  added: "32",
  context: undefined,
};

export async function diffCommand(args: ParsedArgs, io: CliIo, ports = createAwsPorts): Promise<number> {
  const { aws, region } = commonSettings(args, io.env);
  const values = checkedValues(args);
  const inputs = deployInputsOf(values, { region, runId: "diff" });
  const summary = outputFileFrom(args, F.summaryFile, io.env);
  // Required: without the folder, contextFrom has thrown.
  const context = contextFrom(args, io.env, inputs, true) as DeployContext;
  for (const notice of context.notices ?? []) io.err(`cage: ${notice}`);
  const target = targetOf(inputs, context, CLI_NAMING);
  const plan = await planDiff(diffSettingsOf(target, context, inputs), {
    aws: ports(aws),
    clock: io.clock,
    naming: CLI_NAMING,
    events: () => {},
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (values.get(F.json)) io.out(JSON.stringify(planJson(plan), null, 2));
  else print(plan, io, colourWanted(args, io));
  for (const note of plan.notes) io.err(`cage: ${note}`);
  if (summary !== undefined) {
    writeFileSync(summary, diffMarkdown(plan, `Diff of ${target.cluster}/${target.service}`));
    io.err(`summary written to ${summary}`);
  }
  return plan.changed && values.get(F.exitCode) ? 1 : 0;
}

/** On a terminal only, and never when NO_COLOR is set (no-color.org: any value) or --no-color is given. */
function colourWanted(args: ParsedArgs, io: CliIo): boolean {
  if (!io.outStyled || io.env.NO_COLOR || io.env.TERM === "dumb") return false;
  return args.given[F.noColor.name] === undefined;
}

function print(plan: DiffPlan, io: CliIo, colour: boolean): void {
  for (const line of diffLines(plan)) {
    const sgr = COLOUR[line.role];
    if (colour && sgr && io.outStyled) io.outStyled(line.text, sgr);
    else io.out(line.text);
  }
}

function planJson(plan: DiffPlan) {
  return {
    changed: plan.changed,
    serviceExists: plan.serviceExists,
    diff: diffText(plan),
    sections: plan.sections.map((s) => ({ subject: s.subject, from: s.from, to: s.to, changed: s.hunks.length > 0 })),
    notes: plan.notes,
  };
}
