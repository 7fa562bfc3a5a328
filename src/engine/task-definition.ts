/** The task definition to deploy: registered from task-definition.json, or the ARN given. */
import type { ContainerDefinition, TaskDefinition } from "@aws-sdk/client-ecs";
import type { DeployContext } from "../context/types.js";
import { familyOf } from "./canary-finder.js";
import { CageError } from "./errors.js";
import { shortTaskDefinition } from "./labels.js";
import { callAws } from "./polling.js";
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
    if (error instanceof CageError && /ClientException|InvalidParameter/.test(error.message)) {
      throw new CageError(
        "refused",
        "task-definition",
        `Task definition '${arn}' could not be read: ${error.what}`,
        "Check 'task-definition-arn': it must name an existing revision in this region and account.",
      );
    }
    throw error;
  });
  if (!out.taskDefinition) throw new CageError("refused", "task-definition", `Task definition '${arn}' was not found.`);
  return out.taskDefinition;
}

async function register(session: Session, context: DeployContext | undefined): Promise<TaskDefinition> {
  const input = context?.taskDefinition;
  if (!input) {
    throw new CageError(
      "refused",
      "task-definition",
      "There is no task definition to deploy.",
      "Put task-definition.json in the deploy context, or give 'task-definition-arn'.",
    );
  }
  const out = await callAws(session, "task-definition", "ecs:RegisterTaskDefinition", (signal) =>
    session.aws.ecs.registerTaskDefinition(input, signal),
  );
  const td = out.taskDefinition;
  if (!td?.taskDefinitionArn) throw new CageError("aws", "task-definition", "RegisterTaskDefinition returned no ARN.");
  session.emit({ type: "resource", kind: "task-definition", id: td.taskDefinitionArn });
  return td;
}
