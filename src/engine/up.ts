/** `cage up`: check the service does not exist (before registering anything), register, create, follow the first deployment. */
import type { CreateServiceCommandInput } from "@aws-sdk/client-ecs";
import { type DeploymentEnd, failureEvidence, watchDeployment } from "./deployment-watch.js";
import { CageError } from "./errors.js";
import { clientTokenFor, shortTaskDefinition } from "./labels.js";
import { callAws } from "./polling.js";
import { describeService, noticeDisagreements } from "./preflight.js";
import { isCanceled, readServiceBack, serviceSentence, unsettledBy, unsettledField } from "./read-back.js";
import { errorText, inPhase, openSession, type Session } from "./session.js";
import type { CommandResult, EngineDeps, UpSettings } from "./settings.js";
import { resolveTaskDefinition } from "./task-definition.js";

export async function up(settings: UpSettings, deps: EngineDeps): Promise<CommandResult> {
  const session = openSession(deps, settings.timeouts.overall);
  const facts: Partial<CommandResult> = {};
  const sent = { create: false };
  let result: CommandResult;
  try {
    result = await create(session, settings, facts, sent);
  } catch (error) {
    result = await failed(session, settings, facts, sent.create, error);
  }
  session.emit({
    type: "verdict",
    result: result.result,
    message: result.message,
    serviceChanged: result.serviceChanged,
  });
  return result;
}

/** The verdict of an `up` that did not finish: whether the service exists is read back when CreateService was sent. */
async function failed(
  session: Session,
  settings: UpSettings,
  facts: Partial<CommandResult>,
  createSent: boolean,
  error: unknown,
): Promise<CommandResult> {
  const result = isCanceled(error) ? "canceled" : "failed";
  const text = errorText(error);
  if (facts.serviceArn) {
    const going = isCanceled(error)
      ? ` Service '${settings.service}' was created: ECS goes on with its first deployment ${facts.deploymentId ?? ""}.`
      : "";
    return { ...facts, ...unsettledField(error), result, message: `${text}${going}`, serviceChanged: true };
  }
  if (createSent && facts.taskDefinitionArn) {
    const inFlight = unsettledBy(error)?.operation === "ecs:CreateService";
    const read = await readServiceBack(session, settings, undefined, facts.taskDefinitionArn, !inFlight);
    const found =
      read.changed === true
        ? {
            ...(read.serviceArn ? { serviceArn: read.serviceArn } : {}),
            ...(read.deploymentId ? { deploymentId: read.deploymentId } : {}),
          }
        : {};
    return {
      ...facts,
      ...found,
      ...unsettledField(error),
      result,
      message: `${text} ${serviceSentence(settings, read)}`,
      serviceChanged: read.changed,
    };
  }
  const suffix = /was not changed|Nothing was changed/.test(text) ? "" : " Nothing was created.";
  return { ...facts, ...unsettledField(error), result, message: `${text}${suffix}`, serviceChanged: false };
}

async function create(
  session: Session,
  settings: UpSettings,
  facts: Partial<CommandResult>,
  sent: { create: boolean },
): Promise<CommandResult> {
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
        `Service '${settings.service}' already exists in cluster '${settings.cluster}' (${existing.status}). Nothing was registered or created.`,
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
          sent.create = true;
          return session.aws.ecs.createService(input, signal);
        },
        { retry: true, mutating: true },
      );
      const service = out.service;
      facts.serviceArn = service?.serviceArn ?? settings.service;
      session.emit({ type: "resource", kind: "service", id: facts.serviceArn, detail: { cluster: settings.cluster } });
      const primary = service?.deployments?.find((d) => d.status === "PRIMARY") ?? service?.deployments?.[0];
      if (!primary?.id) throw new CageError("aws", "service-create", "CreateService returned no deployment to follow.");
      return primary.id;
    },
  );
  facts.deploymentId = deploymentId;
  const since = session.clock.now();
  let end: DeploymentEnd | undefined;
  try {
    await inPhase(session, "deployment", deploymentId, async () => {
      end = await watchDeployment(session, {
        target: settings,
        deploymentId,
        phase: "deployment",
        timeout: settings.timeouts.deployment,
      });
      if (end.state !== "COMPLETED") {
        throw new CageError(
          "deployment-failed",
          "deployment",
          `Deployment ${deploymentId} ended ${end.state}: ${end.reason}.`,
        );
      }
    });
  } catch (error) {
    if (!end) throw error;
  }
  return conclusion(session, settings, facts, end as DeploymentEnd | undefined, td.arn, since);
}

async function conclusion(
  session: Session,
  settings: UpSettings,
  facts: Partial<CommandResult>,
  end: DeploymentEnd | undefined,
  taskDefinitionArn: string,
  since: number,
): Promise<CommandResult> {
  const td = { arn: taskDefinitionArn };
  const deploymentId = facts.deploymentId ?? "";
  if (!end)
    throw new CageError("deployment-failed", "deployment", `Deployment ${deploymentId} was not followed to its end.`);
  if (end.state === "COMPLETED") {
    return {
      ...facts,
      result: "succeeded",
      message: `Service '${settings.service}' created with ${shortTaskDefinition(td.arn)}; its first deployment completed.`,
      serviceChanged: true,
    };
  }
  const evidence = await failureEvidence(session, settings, end.service, td.arn, since);
  return {
    ...facts,
    result: "failed",
    serviceChanged: true,
    ...(evidence.length ? { evidence } : {}),
    message: `Service '${settings.service}' was created, but its first deployment ${deploymentId} did not complete (${end.state}: ${end.reason}). Its tasks do not start or stay healthy: fix the task definition or service.json, then deploy with ${session.naming.command("rollout")}.${evidence.length ? `\n${evidence.map((l) => `  - ${l}`).join("\n")}` : ""}`,
  };
}
