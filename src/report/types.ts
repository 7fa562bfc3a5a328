import type { AuditReport, AuditResult } from "../audit/index.js";
import type { CageEvent } from "../engine/events.js";
import type { CommandResult, Target } from "../engine/settings.js";

export type ReportCommand = "rollout" | "up" | "run" | "audit" | "cleanup" | "continue" | "rollback";

/** A container as deployed: where its image came from and where it logs (the task definition's awslogs options). */
export interface DeployedContainer {
  name: string;
  image?: string;
  imageDigest?: string;
  awslogs?: { group: string; region?: string; streamPrefix?: string };
}

/** What a rollout put in place, as far as the front end knows it. */
export interface Deployed {
  previousTaskDefinitionArn?: string;
  taskDefinitionArn?: string;
  containers: DeployedContainer[];
}

interface CommonInput {
  target: Target;
  events: readonly CageEvent[];
  /** The audit's report: an audit's, or one shown after a rollout (`cage demo`). */
  audit?: AuditReport;
  /** Link back to the workflow run, shown when the summary had to be truncated. */
  runUrl?: string;
}

export interface DeployReportInput extends CommonInput {
  command: Exclude<ReportCommand, "audit">;
  /** The engine's result; `evidence` explains a failure (service events, stop reasons). */
  result: CommandResult & { evidence?: string[] };
  deployed?: Deployed;
  /** The gate's verdict on `audit`, when the command also audited (`cage demo`): a failed gate fails the run. */
  auditResult?: AuditResult;
}

export interface AuditReportInput extends CommonInput {
  command: "audit";
  /** The gate's verdict; without `audit` when the audit stopped before it had a report. */
  result: AuditResult;
}

export type ReportInput = DeployReportInput | AuditReportInput;
