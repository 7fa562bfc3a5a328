/**
 * Which images each service runs: the digests its running tasks report (source `running`), its current task
 * definition, or a deploy context's task definition. A service that cannot be read becomes an error of its own.
 */
import type { ContainerDefinition, Service, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { EcsPort } from "../aws/ports.js";
import { errorName, problemOf, type RowProblem } from "./errors.js";
import { parseImage, registryOf } from "./image-ref.js";
import type { AdaptiveLimiter } from "./limiter.js";
import { ociArchitecture } from "./manifest.js";
import type { AuditSource, AuditTarget } from "./types.js";

export interface ContainerImage {
  name: string;
  image: string;
  /** The digest a running task pulled (DescribeTasks containers[].imageDigest). */
  runningDigest?: string;
  /** OCI architecture (amd64, arm64). */
  architecture: string;
  taskCount?: number;
}

export interface ResolvedService {
  target: AuditTarget;
  source: AuditSource;
  sourceNote?: string;
  taskDefinitionArn?: string;
  containers: ContainerImage[];
  error?: RowProblem;
}

export interface ResolveDeps {
  ecsIn(region: string): EcsPort;
  limiter: AdaptiveLimiter;
  signal?: AbortSignal;
}

function fromDefinitions(definitions: ContainerDefinition[] | undefined, architecture: string): ContainerImage[] {
  return (definitions ?? []).map((c) => ({ name: c.name ?? "", image: c.image ?? "", architecture }));
}

function architectureOf(td: { runtimePlatform?: { cpuArchitecture?: string } } | undefined): string {
  return ociArchitecture(td?.runtimePlatform?.cpuArchitecture);
}

const key = (t: { region: string; cluster: string; service: string }) => `${t.region}\n${t.cluster}\n${t.service}`;

type Described = { service: Service } | { problem: RowProblem };

/** DescribeServices, ten services per call per cluster; each target maps to its service or its problem. */
async function describeAll(targets: AuditTarget[], deps: ResolveDeps): Promise<Map<string, Described>> {
  const found = new Map<string, Described>();
  const groups = new Map<string, AuditTarget[]>();
  for (const t of targets) {
    const cluster = `${t.region}\n${t.cluster}`;
    groups.set(cluster, [...(groups.get(cluster) ?? []), t]);
  }
  const batches = [...groups.values()].flatMap((g) =>
    Array.from({ length: Math.ceil(g.length / 10) }, (_, i) => g.slice(i * 10, i * 10 + 10)),
  );
  await Promise.all(
    batches.map(async (batch) => {
      const { region, cluster } = batch[0] as AuditTarget;
      try {
        const out = await deps.limiter.run(() =>
          deps.ecsIn(region).describeServices({ cluster, services: batch.map((t) => t.service) }, deps.signal),
        );
        for (const t of batch) {
          const service = out.services?.find((s) => s.serviceName === t.service || s.serviceArn === t.service);
          found.set(
            key(t),
            service && service.status !== "INACTIVE"
              ? { service }
              : {
                  problem: {
                    status: "SERVICE_NOT_FOUND",
                    reason:
                      `service ${t.service} ${service ? "is INACTIVE (deleted)" : "does not exist"} in cluster ` +
                      `${cluster} (${region}); check the service name, cluster and region`,
                  },
                },
          );
        }
      } catch (error) {
        const problem: RowProblem =
          errorName(error) === "ClusterNotFoundException"
            ? {
                status: "SERVICE_NOT_FOUND",
                reason: `cluster ${cluster} does not exist in ${region}; check the cluster name and region`,
              }
            : problemOf(error, `ecs:DescribeServices in cluster ${cluster} (${region})`, "ecs:DescribeServices");
        for (const t of batch) found.set(key(t), { problem });
      }
    }),
  );
  return found;
}

async function runningTasks(t: AuditTarget, deps: ResolveDeps): Promise<Task[]> {
  const ecs = deps.ecsIn(t.region);
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.limiter.run(() =>
      ecs.listTasks({ cluster: t.cluster, serviceName: t.service, desiredStatus: "RUNNING", nextToken }, deps.signal),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const out = await deps.limiter.run(() =>
      ecs.describeTasks({ cluster: t.cluster, tasks: arns.slice(i, i + 100) }, deps.signal),
    );
    tasks.push(...(out.tasks ?? []).filter((task) => task.lastStatus !== "STOPPED"));
  }
  return tasks;
}

function isEcr(image: string): boolean {
  const ref = parseImage(image);
  return !("error" in ref) && registryOf(ref).kind === "ecr";
}

/**
 * One entry per container name and image digest, counting the tasks that run it; images ECR cannot scan are
 * grouped by reference, as their digest changes nothing in the audit.
 */
function fromTasks(tasks: Task[], architectureOfTask: (task: Task) => string): ContainerImage[] {
  const byImage = new Map<string, ContainerImage>();
  for (const task of tasks) {
    for (const c of task.containers ?? []) {
      const id = `${c.name}\n${isEcr(c.image ?? "") ? (c.imageDigest ?? c.image) : c.image}`;
      const seen = byImage.get(id);
      if (seen) {
        seen.taskCount = (seen.taskCount ?? 0) + 1;
        continue;
      }
      const entry: ContainerImage = {
        name: c.name ?? "",
        image: c.image ?? "",
        architecture: architectureOfTask(task),
        taskCount: 1,
      };
      if (c.imageDigest) entry.runningDigest = c.imageDigest;
      byImage.set(id, entry);
    }
  }
  return [...byImage.values()];
}

async function resolveOne(
  t: AuditTarget,
  source: AuditSource,
  service: Service,
  describeTaskDefinition: (region: string, arn: string) => Promise<TaskDefinition | undefined>,
  deps: ResolveDeps,
): Promise<ResolvedService> {
  const arn = service.taskDefinition ?? "";
  if (source === "running") {
    const tasks = await runningTasks(t, deps);
    if (tasks.length > 0) {
      const archByTask = new Map<string, string>();
      for (const task of tasks) {
        const attr = task.attributes?.find((a) => a.name === "ecs.cpu-architecture")?.value;
        const td = attr ? undefined : await describeTaskDefinition(t.region, task.taskDefinitionArn ?? arn);
        archByTask.set(task.taskArn ?? "", attr ? ociArchitecture(attr) : architectureOf(td));
      }
      const containers = fromTasks(tasks, (task) => archByTask.get(task.taskArn ?? "") ?? "amd64");
      return { target: t, source: "running", taskDefinitionArn: arn, containers };
    }
  }
  const td = await describeTaskDefinition(t.region, arn);
  const resolved: ResolvedService = {
    target: t,
    source: "task-definition",
    taskDefinitionArn: td?.taskDefinitionArn ?? arn,
    containers: fromDefinitions(td?.containerDefinitions, architectureOf(td)),
  };
  if (source === "running") {
    resolved.sourceNote = "no task is running; audited the images of the service's current task definition";
  }
  return resolved;
}

export async function resolveServices(
  targets: AuditTarget[],
  source: AuditSource,
  deps: ResolveDeps,
): Promise<ResolvedService[]> {
  if (source === "deploy-context") {
    return targets.map((t) =>
      t.taskDefinition
        ? {
            target: t,
            source,
            containers: fromDefinitions(t.taskDefinition.containerDefinitions, architectureOf(t.taskDefinition)),
          }
        : {
            target: t,
            source,
            containers: [],
            error: {
              status: "ERROR",
              reason: "source deploy-context needs the deploy context's task-definition.json, and none was given",
            },
          },
    );
  }
  const definitions = new Map<string, Promise<TaskDefinition | undefined>>();
  const describeTaskDefinition = (region: string, arn: string) => {
    const id = `${region}\n${arn}`;
    let pending = definitions.get(id);
    if (!pending) {
      pending = deps.limiter
        .run(() => deps.ecsIn(region).describeTaskDefinition({ taskDefinition: arn }, deps.signal))
        .then((out) => out.taskDefinition);
      definitions.set(id, pending);
    }
    return pending;
  };
  const services = await describeAll(targets, deps);
  return Promise.all(
    targets.map(async (t): Promise<ResolvedService> => {
      const described = services.get(key(t));
      if (described && "problem" in described) return { target: t, source, containers: [], error: described.problem };
      if (described) {
        try {
          return await resolveOne(t, source, described.service, describeTaskDefinition, deps);
        } catch (error) {
          if (deps.signal?.aborted) throw error;
          const problem = problemOf(
            error,
            `reading the tasks and task definition of ${t.cluster}/${t.service} (${t.region})`,
            "ecs:ListTasks, ecs:DescribeTasks and ecs:DescribeTaskDefinition",
          );
          return { target: t, source, containers: [], error: problem };
        }
      }
      return { target: t, source, containers: [], error: { status: "ERROR", reason: "the service was not described" } };
    }),
  );
}
