/**
 * `diff`: what a rollout of a deploy context would change, against the live service, from read calls only
 * (DescribeServices, DescribeTaskDefinition). Without the service, what `up` would create.
 */
import type { CreateServiceRequest, DescribeTaskDefinitionCommandOutput, Service } from "@aws-sdk/client-ecs";
import type { DeployContext } from "../context/types.js";
import { isAwsError } from "../engine/errors.js";
import { shortTaskDefinition } from "../engine/labels.js";
import { callAws } from "../engine/polling.js";
import { describeService } from "../engine/preflight.js";
import { openSession, type Session } from "../engine/session.js";
import type { EngineDeps, Target } from "../engine/settings.js";
import { type Hunk, hunksOf } from "./diff.js";
import { linesOf } from "./lines.js";
import { type Json, normaliseNewService, normaliseServiceUpdate, normaliseTaskDefinition } from "./normalise.js";

export interface DiffSettings extends Target {
  context: DeployContext;
  /** Deploy this registered revision rather than task-definition.json. */
  taskDefinitionArn?: string;
  updateService: boolean;
  overallTimeout: number;
}

export interface DiffSection {
  /** What is compared: "task definition", "service". */
  subject: string;
  /** The two sides, as the diff's `---` and `+++` lines name them. */
  from: string;
  to: string;
  hunks: Hunk[];
}

export interface DiffPlan {
  /** The service exists: the diff is a rollout's; otherwise `up`'s. */
  serviceExists: boolean;
  sections: DiffSection[];
  changed: boolean;
  /** What was not compared, and why. */
  notes: string[];
}

type Canonical = { [key: string]: Json };

/** What either front end's parsed inputs say about a diff: the same four fields everywhere. */
export interface DiffInputs {
  taskDefinitionArn?: string;
  updateService: boolean;
  timeouts: { overall: number };
}

export function diffSettingsOf(target: Target, context: DeployContext, inputs: DiffInputs): DiffSettings {
  return {
    region: target.region,
    cluster: target.cluster,
    service: target.service,
    context,
    ...(inputs.taskDefinitionArn ? { taskDefinitionArn: inputs.taskDefinitionArn } : {}),
    updateService: inputs.updateService,
    overallTimeout: inputs.timeouts.overall,
  };
}

export async function planDiff(settings: DiffSettings, deps: EngineDeps): Promise<DiffPlan> {
  const session = openSession(deps, settings.overallTimeout);
  const live = await describeService(session, "preflight", settings.cluster, settings.service);
  const exists = live !== undefined && live.status !== "INACTIVE";
  const notes: string[] = [];
  const sections = [await taskDefinitionSection(session, settings, exists ? live : undefined)];
  if (exists && settings.updateService) {
    const { file, live: now } = normaliseServiceUpdate(settings.context.service, live);
    sections.push(section("service", `live service ${settings.service}`, settings.context.serviceFile, now, file));
  } else if (exists) {
    notes.push(
      `${settings.context.serviceFile} was not compared: a rollout changes only the task definition unless ${deps.naming.input("update-service")} is set.`,
    );
  } else {
    notes.push(
      `Service '${settings.service}' does not exist in cluster '${settings.cluster}': ${deps.naming.command("up")} would create it.`,
    );
    const created = normaliseNewService(newService(settings.context.service, settings));
    sections.push(section("service", "(no service)", settings.context.serviceFile, {}, created));
  }
  return { serviceExists: exists, sections, changed: sections.some((s) => s.hunks.length > 0), notes };
}

function section(subject: string, from: string, to: string, before: Canonical, after: Canonical): DiffSection {
  return { subject, from, to, hunks: hunksOf(linesOf(before), linesOf(after)) };
}

/** CreateService's input as `up` sends it; the task definition is the revision it registers, so not compared. */
function newService(file: CreateServiceRequest, target: Target): CreateServiceRequest {
  const { taskDefinition: _registered, clientToken: _token, ...rest } = file;
  return { ...rest, cluster: target.cluster, serviceName: target.service };
}

async function taskDefinitionSection(
  session: Session,
  settings: DiffSettings,
  live: Service | undefined,
): Promise<DiffSection> {
  const family = settings.context.taskDefinition?.family;
  // Without the service, the family's latest revision is what a new one is registered after, if there is one.
  const current = live?.taskDefinition ?? family;
  const before = current ? await describeTaskDefinition(session, current, !live) : undefined;
  const from = before?.taskDefinition?.taskDefinitionArn
    ? `${live ? "live" : "latest"} ${shortTaskDefinition(before.taskDefinition.taskDefinitionArn)}`
    : "(no task definition)";
  const beforeValue = before?.taskDefinition ? normaliseTaskDefinition(before.taskDefinition, before.tags) : {};
  if (settings.taskDefinitionArn) {
    const given = await describeTaskDefinition(session, settings.taskDefinitionArn, false);
    const afterValue = given?.taskDefinition ? normaliseTaskDefinition(given.taskDefinition, given.tags) : {};
    return section("task definition", from, shortTaskDefinition(settings.taskDefinitionArn), beforeValue, afterValue);
  }
  const file = settings.context.taskDefinition ?? {};
  return section(
    "task definition",
    from,
    settings.context.taskDefinitionFile ?? "task-definition.json",
    beforeValue,
    normaliseTaskDefinition(file),
  );
}

/** `absentIsNone`: a family never registered is no error, just nothing to compare with. */
async function describeTaskDefinition(
  session: Session,
  taskDefinition: string,
  absentIsNone: boolean,
): Promise<DescribeTaskDefinitionCommandOutput | undefined> {
  return callAws(session, "preflight", "ecs:DescribeTaskDefinition", (signal) =>
    session.aws.ecs.describeTaskDefinition({ taskDefinition, include: ["TAGS"] }, signal),
  ).catch((error: unknown) => {
    if (absentIsNone && isAwsError(error, "ClientException")) return undefined;
    throw error;
  });
}
