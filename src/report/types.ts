import type { CageEvent } from "../engine/events.js";
import type { CommandResult, Target } from "../engine/settings.js";
import type { AuditReport } from "./audit-markdown.js";

export type ReportCommand = "rollout" | "up" | "run" | "audit" | "cleanup";

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

export interface ReportInput {
  command: ReportCommand;
  target: Target;
  events: readonly CageEvent[];
  /** The engine's result; `evidence` explains a failure (service events, stop reasons). */
  result: CommandResult & { evidence?: string[] };
  deployed?: Deployed;
  audit?: AuditReport;
  /** Link back to the workflow run, shown when the summary had to be truncated. */
  runUrl?: string;
}
