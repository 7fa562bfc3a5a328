/** Everything verify reads, with read calls only; a read that fails is a fact too, and becomes an [NG]. */
import type { RegisterTaskDefinitionRequest, TaskDefinition } from "@aws-sdk/client-ecs";
import { parseImage, registryOf } from "../audit/image-ref.js";
import { audit } from "../audit/index.js";
import { ACCEPTED_MEDIA_TYPES } from "../audit/manifest.js";
import { CageError } from "../engine/errors.js";
import { callAws } from "../engine/polling.js";
import { describeService } from "../engine/preflight.js";
import type { Session } from "../engine/session.js";
import type { Naming } from "../engine/settings.js";
import { inert } from "../shared/inert.js";
import { launchSourceOf } from "./checks-service.js";
import { readLoadBalancing } from "./read-lb.js";
import type { Facts, ImageFact, Read, VerifySettings } from "./types.js";

async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    const code = error instanceof CageError ? error.awsCode : undefined;
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: inert(text), ...(code ? { code } : {}) };
  }
}

export async function readFacts(session: Session, settings: VerifySettings, naming: Naming): Promise<Facts> {
  const { cluster, service } = settings;
  const ecs = session.aws.ecs;
  const facts: Facts = {
    settings,
    naming,
    cluster: await attempt(async () => {
      const out = await callAws(session, "preflight", "ecs:DescribeClusters", (signal) =>
        ecs.describeClusters({ clusters: [cluster] }, signal),
      );
      const found = out.clusters?.[0];
      return found ? { status: found.status, arn: found.clusterArn } : undefined;
    }),
    service: await attempt(() => describeService(session, "preflight", cluster, service)),
    taskDefinition: await attempt(() => taskDefinitionOf(session, settings)),
    images: [],
  };
  const td = facts.taskDefinition.ok ? facts.taskDefinition.value : undefined;
  facts.images = await Promise.all(
    (td?.containerDefinitions ?? []).map((c) => readImage(session, c.name ?? "?", c.image ?? "")),
  );
  if (td && facts.images.some((i) => i.manifest?.ok && i.manifest.value)) {
    facts.audit = await attempt(() =>
      audit(
        {
          targets: [{ region: settings.region, cluster, service, taskDefinition: td }],
          source: "deploy-context",
          scanWaitTimeout: settings.scanWaitTimeout,
          ...(settings.ignore ? { ignore: settings.ignore } : {}),
        },
        { aws: session.aws, clock: session.clock, ...(session.signal ? { signal: session.signal } : {}) },
      ),
    );
  }
  const subnets = launchSourceOf(facts)?.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  if (subnets.length > 0) {
    const found = await attempt(async () => {
      const out = await callAws(session, "preflight", "ec2:DescribeSubnets", (signal) =>
        session.aws.ec2.describeSubnets({ Filters: [{ Name: "subnet-id", Values: subnets }] }, signal),
      );
      return out.Subnets ?? [];
    });
    facts.subnets = { asked: subnets, found };
  }
  if (settings.for !== "run") {
    const loadBalancing = await readLoadBalancing(session, facts, attempt);
    if (loadBalancing) facts.loadBalancing = loadBalancing;
  }
  if (settings.canaryInstanceArn)
    facts.instance = await attempt(() => readInstance(session, cluster, settings.canaryInstanceArn as string));
  return facts;
}

async function taskDefinitionOf(
  session: Session,
  settings: VerifySettings,
): Promise<RegisterTaskDefinitionRequest | undefined> {
  if (!settings.taskDefinitionArn) return settings.context?.taskDefinition;
  const arn = settings.taskDefinitionArn;
  const out = await callAws(session, "preflight", "ecs:DescribeTaskDefinition", (signal) =>
    session.aws.ecs.describeTaskDefinition({ taskDefinition: arn }, signal),
  );
  return out.taskDefinition ? asRequest(out.taskDefinition) : undefined;
}

/** A registered revision in the shape of the request that would register it; the checks read only these keys. */
function asRequest(td: TaskDefinition): RegisterTaskDefinitionRequest {
  const {
    family = "",
    containerDefinitions,
    runtimePlatform,
    executionRoleArn,
    taskRoleArn,
    networkMode,
    cpu,
    memory,
  } = td;
  return { family, containerDefinitions, runtimePlatform, executionRoleArn, taskRoleArn, networkMode, cpu, memory };
}

async function readImage(session: Session, container: string, image: string): Promise<ImageFact> {
  const ref = parseImage(image);
  if ("error" in ref)
    return { container, image, manifest: { ok: false, error: `cannot read the image reference: ${ref.error}` } };
  const registry = registryOf(ref);
  if (registry.kind === "not-scannable") return { container, image, notEcr: registry.reason };
  const imageIds = [ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? "latest" }];
  const manifest = await attempt(async () => {
    const out = await callAws(session, "preflight", "ecr:BatchGetImage", (signal) =>
      session.aws.ecrIn(registry.region).batchGetImage(
        {
          registryId: registry.registryId,
          repositoryName: ref.repository,
          imageIds,
          acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
        },
        signal,
      ),
    );
    const found = out.images?.[0];
    return found ? { text: found.imageManifest, mediaType: found.imageManifestMediaType } : undefined;
  });
  return { container, image, manifest };
}

async function readInstance(session: Session, cluster: string, ref: string) {
  const ecs = session.aws.ecs;
  let candidates = [ref];
  if (/^i-[0-9a-f]{8,17}$/.test(ref)) {
    const listed = await callAws(session, "preflight", "ecs:ListContainerInstances", (signal) =>
      ecs.listContainerInstances({ cluster, filter: `ec2InstanceId == ${ref}` }, signal),
    );
    candidates = listed.containerInstanceArns ?? [];
    if (candidates.length === 0) return undefined;
  }
  const out = await callAws(session, "preflight", "ecs:DescribeContainerInstances", (signal) =>
    ecs.describeContainerInstances({ cluster, containerInstances: candidates.slice(0, 100) }, signal),
  );
  return (
    out.containerInstances?.find((ci) => ci.ec2InstanceId === ref || ci.containerInstanceArn === ref) ??
    out.containerInstances?.[0]
  );
}
