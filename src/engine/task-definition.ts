/** The task definition to deploy: registered from task-definition.json, or the ARN given. */
import type { ContainerDefinition, RegisterTaskDefinitionRequest, TaskDefinition } from "@aws-sdk/client-ecs";
import type { DeployContext } from "../context/types.js";
import { CageError, isAwsError } from "./errors.js";
import { shortTaskDefinition } from "./labels.js";
import { callAws, callOnceThenCheck } from "./polling.js";
import { inPhase, type Session } from "./session.js";

export interface ResolvedTaskDefinition {
  arn: string;
  family: string;
  containers: ContainerDefinition[];
  networkMode?: string;
  registered: boolean;
}

export interface TaskDefinitionSource {
  context?: DeployContext;
  taskDefinitionArn?: string;
}

/** `arn:…:task-definition/web:42` or `web:42` → `web`. */
export function familyOf(taskDefinition: string): string {
  const last = taskDefinition.slice(taskDefinition.lastIndexOf("/") + 1);
  return last.includes(":") ? last.slice(0, last.lastIndexOf(":")) : last;
}

/** The family the new revision will have, known before anything is registered. */
export function plannedFamily(source: TaskDefinitionSource): string | undefined {
  if (source.taskDefinitionArn) return familyOf(source.taskDefinitionArn);
  return source.context?.taskDefinition?.family;
}

/** The container definitions the new revision will have, known before anything is registered. */
export function plannedContainers(source: TaskDefinitionSource): ContainerDefinition[] | undefined {
  return source.taskDefinitionArn ? undefined : source.context?.taskDefinition?.containerDefinitions;
}

export function resolveTaskDefinition(session: Session, source: TaskDefinitionSource): Promise<ResolvedTaskDefinition> {
  return inPhase(
    session,
    "task-definition",
    source.taskDefinitionArn ? `using ${source.taskDefinitionArn}` : "registering task-definition.json",
    async () => {
      const td = source.taskDefinitionArn
        ? await describe(session, source.taskDefinitionArn)
        : await register(session, source.context);
      const arn = td.taskDefinitionArn ?? "";
      return {
        arn,
        family: td.family ?? familyOf(arn),
        containers: td.containerDefinitions ?? [],
        networkMode: td.networkMode,
        registered: !source.taskDefinitionArn,
      };
    },
    (td) => (td.registered ? `registered ${shortTaskDefinition(td.arn)}` : `using ${shortTaskDefinition(td.arn)}`),
  );
}

async function describe(session: Session, arn: string): Promise<TaskDefinition> {
  const out = await callAws(session, "task-definition", "ecs:DescribeTaskDefinition", (signal) =>
    session.aws.ecs.describeTaskDefinition({ taskDefinition: arn }, signal),
  ).catch((error: unknown) => {
    if (isAwsError(error, "ClientException", "InvalidParameterException")) {
      throw new CageError(
        "refused",
        "task-definition",
        `Task definition '${arn}' could not be read: ${error.what}`,
        `Check ${session.naming.input("task-definition-arn")}: it must name an existing revision in this region and account.`,
      );
    }
    throw error;
  });
  if (!out.taskDefinition) throw new CageError("refused", "task-definition", `Task definition '${arn}' was not found.`);
  return out.taskDefinition;
}

/** How far AWS's clock may be behind ours when judging whether a revision was registered by this attempt. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * RegisterTaskDefinition has no client token: a repeat after a lost answer registers a second revision. So after a
 * transient failure the family's latest revision is read first: if it was registered since the first attempt and
 * is what was sent, it is this run's; otherwise the call is sent again.
 */
async function register(session: Session, context: DeployContext | undefined): Promise<TaskDefinition> {
  const input = context?.taskDefinition;
  if (!input) {
    throw new CageError(
      "refused",
      "task-definition",
      "There is no task definition to deploy.",
      `Put task-definition.json in the deploy context, or give ${session.naming.input("task-definition-arn")}.`,
    );
  }
  const startedAt = session.clock.now();
  const td = await callOnceThenCheck(
    session,
    "task-definition",
    "ecs:RegisterTaskDefinition",
    async (signal) => (await session.aws.ecs.registerTaskDefinition(input, signal)).taskDefinition,
    async () => {
      const meanwhile = await registeredSince(session, input, startedAt);
      if (meanwhile) {
        session.emit({
          type: "notice",
          level: "info",
          message: `The answer to RegisterTaskDefinition was lost, but ${shortTaskDefinition(meanwhile.taskDefinitionArn ?? "")} was registered just now with exactly what was sent: using it rather than registering another revision.`,
        });
      }
      return meanwhile;
    },
  );
  if (!td?.taskDefinitionArn) throw new CageError("aws", "task-definition", "RegisterTaskDefinition returned no ARN.");
  session.emit({ type: "resource", kind: "task-definition", id: td.taskDefinitionArn });
  return td;
}

/** The family's latest ACTIVE revision, if it was registered since `since` and is what `input` asked for. */
async function registeredSince(
  session: Session,
  input: RegisterTaskDefinitionRequest,
  since: number,
): Promise<TaskDefinition | undefined> {
  const out = await callAws(session, "task-definition", "ecs:DescribeTaskDefinition", (signal) =>
    session.aws.ecs.describeTaskDefinition({ taskDefinition: input.family }, signal),
  ).catch((error: unknown) => {
    // A family never registered before cannot be described: nothing was registered.
    if (isAwsError(error, "ClientException")) return undefined;
    throw error;
  });
  const td = out?.taskDefinition;
  const at = td?.registeredAt?.getTime();
  if (td?.status !== "ACTIVE" || at === undefined || at < since - CLOCK_SKEW_MS) return undefined;
  return isRegistrationOf(input, td) ? td : undefined;
}

/** Every value `sent` sets is in `got`, lists element by element. */
function contains(sent: unknown, got: unknown): boolean {
  if (sent === undefined || sent === null) return true;
  if (Array.isArray(sent)) {
    return Array.isArray(got) && got.length === sent.length && sent.every((s, i) => contains(s, got[i]));
  }
  if (typeof sent === "object") {
    if (typeof got !== "object" || got === null) return false;
    const record = got as Record<string, unknown>;
    return Object.entries(sent).every(([key, value]) => contains(value, record[key]));
  }
  return sent === got;
}

/**
 * Whether a registered task definition is the one a RegisterTaskDefinition request asked for. ECS fills in
 * defaults (cpu 0, empty lists, host ports, protocols), so every field the request set must be in the revision
 * with the same value; fields only ECS set are ignored. Tags are not part of a revision's description.
 */
export function isRegistrationOf(request: RegisterTaskDefinitionRequest, revision: TaskDefinition): boolean {
  const { tags: _tags, ...sent } = request;
  return contains(sent, revision);
}
