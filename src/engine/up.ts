/** `cage up`: check the service does not exist (before registering anything), register, create, follow the first deployment. */
import type { CreateServiceCommandInput } from "@aws-sdk/client-ecs";
import { type Followed, followUpdate } from "./deployment-follow.js";
import { describeEnd } from "./deployment-report.js";
import { failureEvidence } from "./deployment-watch.js";
import { CageError } from "./errors.js";
import { clientTokenFor, shortTaskDefinition } from "./labels.js";
import { callAws } from "./polling.js";
import { describeService, noticeDisagreements } from "./preflight.js";
import { isCanceled, readServiceBack, unsettledBy, unsettledField } from "./read-back.js";
import { concludeWith, ServiceChange, type Verdict } from "./service-change.js";
import { errorText, inPhase, openSession, type Session } from "./session.js";
import type { CommandResult, EngineDeps, UpSettings } from "./settings.js";
import { resolveTaskDefinition } from "./task-definition.js";

/** What `up` learned as it went, for its verdict. */
interface Facts {
  taskDefinitionArn?: string;
  serviceArn?: string;
  deploymentId?: string;
  /** The first deployment's service deployment, followed by ARN as a rollout's is. */
  serviceDeploymentArn?: string;
  /** When CreateService's deployment was created (ECS's clock), to find its service deployment. */
  createdAt?: number;
  /** CreateService was sent: the service may exist before its answer comes. */
  createSent: boolean;
  service: ServiceChange;
}

export async function up(settings: UpSettings, deps: EngineDeps): Promise<CommandResult> {
  const session = openSession(deps, settings.timeouts.overall);
  const facts: Facts = { createSent: false, service: new ServiceChange() };
  let result: Verdict;
  try {
    result = await create(session, settings, facts);
  } catch (error) {
    result = await failed(session, settings, facts, error);
  }
  return concludeWith(session, settings, facts.service, result);
}

function known(facts: Facts): Partial<Verdict> {
  return {
    ...(facts.taskDefinitionArn ? { taskDefinitionArn: facts.taskDefinitionArn } : {}),
    ...(facts.serviceArn ? { serviceArn: facts.serviceArn } : {}),
    ...(facts.deploymentId ? { deploymentId: facts.deploymentId } : {}),
    ...(facts.serviceDeploymentArn ? { serviceDeploymentArn: facts.serviceDeploymentArn } : {}),
  };
}

/** The verdict of an `up` that did not finish: whether the service exists is read back when CreateService was sent. */
async function failed(session: Session, settings: UpSettings, facts: Facts, error: unknown): Promise<Verdict> {
  if (facts.service.changed !== true && facts.createSent && facts.taskDefinitionArn) {
    const inFlight = unsettledBy(error)?.operation === "ecs:CreateService";
    const read = await readServiceBack(session, settings, undefined, facts.taskDefinitionArn, !inFlight);
    facts.service.read(read);
    if (read.changed === true) {
      facts.serviceArn ??= read.serviceArn;
      facts.deploymentId ??= read.deploymentId;
    }
  }
  return {
    ...known(facts),
    ...unsettledField(error),
    result: isCanceled(error) ? "canceled" : "failed",
    message: errorText(error),
  };
}

async function create(session: Session, settings: UpSettings, facts: Facts): Promise<Verdict> {
  const file = settings.context?.service;
  await inPhase(session, "preflight", `${settings.cluster}/${settings.service}`, async () => {
    noticeDisagreements(session, settings, settings.context);
    if (!file) {
      throw new CageError(
        "refused",
        "preflight",
        `${session.naming.command("up")} needs service.json in the deploy context to create the service from.`,
        "Add service.json (the shape of `aws ecs create-service --generate-cli-skeleton`).",
      );
    }
    const existing = await describeService(session, "preflight", settings.cluster, settings.service);
    if (existing && existing.status !== "INACTIVE") {
      throw new CageError(
        "refused",
        "preflight",
        `Service '${settings.service}' already exists in cluster '${settings.cluster}' (${existing.status}).`,
        `Use ${session.naming.command("rollout")} to deploy a new revision to it.`,
      );
    }
  });
  const td = await resolveTaskDefinition(session, settings);
  facts.taskDefinitionArn = td.arn;
  const input: CreateServiceCommandInput = {
    ...file,
    cluster: settings.cluster,
    serviceName: settings.service,
    taskDefinition: td.arn,
    clientToken: clientTokenFor("up", settings.runId, settings.cluster, settings.service, td.arn).slice(0, 36),
  };
  const deploymentId = await inPhase(
    session,
    "service-create",
    `${settings.service} with ${shortTaskDefinition(td.arn)}`,
    async () => {
      const out = await callAws(
        session,
        "service-create",
        "ecs:CreateService",
        (signal) => {
          facts.createSent = true;
          return session.aws.ecs.createService(input, signal);
        },
        { retry: true, mutating: true },
      );
      const service = out.service;
      facts.serviceArn = service?.serviceArn ?? settings.service;
      session.emit({ type: "resource", kind: "service", id: facts.serviceArn, detail: { cluster: settings.cluster } });
      const primary = service?.deployments?.find((d) => d.status === "PRIMARY") ?? service?.deployments?.[0];
      facts.service.confirmed(primary?.id);
      if (!primary?.id) throw new CageError("aws", "service-create", "CreateService returned no deployment to follow.");
      if (primary.createdAt) facts.createdAt = primary.createdAt.getTime();
      return primary.id;
    },
  );
  facts.deploymentId = deploymentId;
  const since = session.clock.now();
  let followed: Followed | undefined;
  try {
    await inPhase(session, "deployment", deploymentId, async () => {
      followed = await followUpdate(session, {
        target: settings,
        deploymentId,
        createdAt: facts.createdAt ?? since,
        phase: "deployment",
        timeout: settings.timeouts.deployment,
        waitUntil: "deployed",
        onFound: (arn) => {
          facts.serviceDeploymentArn = arn;
        },
      });
      if (followed.end.state !== "SUCCESSFUL")
        throw new CageError("deployment-failed", "deployment", describeEnd(deploymentId, followed.end));
    });
  } catch (error) {
    if (!followed) throw error;
  }
  return conclusion(session, settings, facts, followed, td.arn, since);
}

async function conclusion(
  session: Session,
  settings: UpSettings,
  facts: Facts,
  followed: Followed | undefined,
  taskDefinitionArn: string,
  since: number,
): Promise<Verdict> {
  const td = { arn: taskDefinitionArn };
  const deploymentId = facts.deploymentId ?? "";
  const end = followed?.end;
  if (!end)
    throw new CageError("deployment-failed", "deployment", `Deployment ${deploymentId} was not followed to its end.`);
  if (end.state === "SUCCESSFUL") {
    return {
      ...known(facts),
      result: "succeeded",
      message: `Service '${settings.service}' created with ${shortTaskDefinition(td.arn)}; its first deployment completed.`,
    };
  }
  const service = await describeService(session, "deployment", settings.cluster, settings.service).catch(
    () => undefined,
  );
  const evidence = await failureEvidence(session, settings, service ?? {}, td.arn, since);
  const reason = "reason" in end ? end.reason : end.state;
  return {
    ...known(facts),
    result: "failed",
    ...(evidence.length ? { evidence } : {}),
    message: `Service '${settings.service}' was created, but its first deployment ${deploymentId} did not complete (${end.deployment.status ?? end.state}: ${reason}). Its tasks do not start or stay healthy: fix the task definition or service.json, then deploy with ${session.naming.command("rollout")}.${evidence.length ? `\n${evidence.map((l) => `  - ${l}`).join("\n")}` : ""}`,
  };
}
