/** The simulated account the audit scenarios run against: services, task definitions and ECR repositories. */
import { readFileSync } from "node:fs";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import type { AuditDeps } from "../../src/audit/audit.js";
import type { AuditReport, AuditSettings, AuditTarget, ContainerAudit } from "../../src/audit/types.js";
import { createSimulator, type Simulator } from "../../src/sim/simulator.js";
import { type FindingSpec, type World, WorldBuilder } from "../../src/sim/world/index.js";

export const ACCOUNT = "123456789012";
/** Another account whose registry shares images with this one (a repository named web, like ours). */
export const PARTNER = "210987654321";
export const ECR = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
export const ECR_EU = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
const TASK_SG = "sg-0123456789abcdef0";

const demo = () =>
  JSON.parse(readFileSync(new URL("../../deploy-example/world.json", import.meta.url).pathname, "utf8")) as unknown;

export function cve(
  name: string,
  severity: FindingSpec["severity"],
  packageName: string,
  fixedInVersion?: string,
  score?: number,
): FindingSpec {
  return {
    name,
    severity,
    description: `${name}: a flaw in ${packageName}.`,
    uri: `https://nvd.nist.gov/vuln/detail/${name}`,
    packageName,
    packageVersion: "1.0.0",
    ...(fixedInVersion ? { fixedInVersion } : {}),
    ...(score !== undefined ? { score } : {}),
  };
}

/** web:v1's basic findings: one of each severity but INFORMATIONAL, two fixable. */
export const WEB_FINDINGS = [
  cve("CVE-2024-0001", "CRITICAL", "openssl", "3.0.14", 9.8),
  cve("CVE-2024-0002", "HIGH", "glibc", "2.36-9", 7.5),
  cve("CVE-2024-0003", "MEDIUM", "zlib", undefined, 5.3),
  cve("CVE-2024-0004", "LOW", "curl"),
  cve("CVE-2024-0005", "UNDEFINED", "busybox"),
];

function task(family: string, containers: ContainerDefinition[], arch: "X86_64" | "ARM64" = "X86_64") {
  return {
    family,
    networkMode: "awsvpc" as const,
    requiresCompatibilities: ["FARGATE" as const],
    cpu: "256",
    memory: "512",
    runtimePlatform: { cpuArchitecture: arch, operatingSystemFamily: "LINUX" as const },
    containerDefinitions: containers.map((c) => ({ essential: false, ...c })),
  };
}

function service(name: string, desiredCount = 1) {
  return {
    cluster: "production",
    serviceName: name,
    taskDefinition: name,
    desiredCount,
    launchType: "FARGATE" as const,
    subnets: SUBNETS,
    securityGroups: [TASK_SG],
  };
}

/**
 * - web (2 tasks): app on web:v1 (basic scan), a log router on public.ecr.aws, a proxy from Docker Hub;
 * - api (1 task): app on api:v1 (enhanced scan, 2,500 findings), and a sidecar on web:v1 too;
 * - arm (1 task, ARM64): app on a Docker manifest list, worker on an OCI index;
 * - eu (1 task): app in the eu-west-1 registry;
 * - odd (no task running): one container per scan status ECR can give, plus images that do not exist.
 */
export function auditWorld(): WorldBuilder {
  const b = WorldBuilder.from(demo()).noServices();
  b.merge({ ecr: { repositories: [] } });
  b.repository({
    name: "web",
    images: [{ tags: ["v1"], scan: { status: "COMPLETE", findings: { list: WEB_FINDINGS } } }],
  });
  b.repository({
    name: "api",
    scanType: "ENHANCED",
    images: [{ tags: ["v1"], scan: { status: "COMPLETE", findings: { generate: { count: 2500, seed: 5 } } } }],
  });
  b.repository({
    name: "multi",
    images: [
      {
        tags: ["v1"],
        index: { kind: "docker", platforms: ["linux/amd64", "linux/arm64"] },
        scan: { status: "COMPLETE", findings: { list: [cve("CVE-2023-1111", "HIGH", "musl", "1.2.4")] } },
      },
      {
        tags: ["v2"],
        index: { kind: "oci", platforms: ["linux/amd64", "linux/arm64"] },
        scan: { status: "COMPLETE", findings: { list: [cve("CVE-2023-2222", "MEDIUM", "expat")] } },
      },
    ],
  });
  b.repository({
    name: "web",
    registryId: PARTNER,
    images: [
      { tags: ["v1"], scan: { status: "COMPLETE", findings: { list: [cve("CVE-2020-5555", "CRITICAL", "bash")] } } },
    ],
  });
  b.repository({
    name: "eu-app",
    region: "eu-west-1",
    images: [
      { tags: ["v1"], scan: { status: "COMPLETE", findings: { list: [cve("CVE-2022-3333", "HIGH", "sqlite")] } } },
    ],
  });
  b.repository({
    name: "odd",
    images: [
      { tags: ["failed"], scan: { status: "FAILED", description: "The scan failed." } },
      { tags: ["unsupported"], scan: { status: "UNSUPPORTED_IMAGE" } },
      { tags: ["expired"], scan: { status: "SCAN_ELIGIBILITY_EXPIRED" } },
      { tags: ["unavailable"], scan: { status: "FINDINGS_UNAVAILABLE" } },
      { tags: ["unscanned"] },
      {
        tags: ["slow"],
        scan: {
          status: "IN_PROGRESS",
          completesAfterSeconds: 120,
          findings: { list: [cve("CVE-2021-4444", "CRITICAL", "log4j", "2.17.1")] },
        },
      },
    ],
  });
  b.taskDefinition(
    task("web", [
      { name: "app", image: `${ECR}/web:v1`, essential: true },
      { name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable" },
      { name: "proxy", image: "nginx:1.27" },
    ]),
  );
  b.taskDefinition(
    task("api", [
      { name: "app", image: `${ECR}/api:v1`, essential: true },
      { name: "sidecar", image: `${ECR}/web:v1` },
    ]),
  );
  b.taskDefinition(
    task(
      "arm",
      [
        { name: "app", image: `${ECR}/multi:v1`, essential: true },
        { name: "worker", image: `${ECR}/multi:v2` },
      ],
      "ARM64",
    ),
  );
  b.taskDefinition(task("eu", [{ name: "app", image: `${ECR_EU}/eu-app:v1`, essential: true }]));
  b.taskDefinition(
    task("odd", [
      // ECS refuses a task definition without an essential container.
      ...["failed", "unsupported", "expired", "unavailable", "unscanned", "slow"].map((tag) => ({
        name: tag,
        image: `${ECR}/odd:${tag}`,
        essential: tag === "failed",
      })),
      { name: "no-tag", image: `${ECR}/odd:nope` },
      { name: "no-repo", image: `${ECR}/nowhere:v1` },
    ]),
  );
  b.service(service("web", 2));
  b.service(service("api"));
  b.service(service("arm"));
  b.service(service("eu"));
  b.service(service("odd", 0));
  return b;
}

export interface Scenario {
  sim: Simulator;
  world: World;
  settings(targets: string[], extra?: Partial<AuditSettings>): AuditSettings;
  /** The audit's dependencies: the simulator's ports in us-east-1 without SDK retries, and its clock. */
  deps(extra?: Partial<AuditDeps>): AuditDeps;
}

/** The world in a simulator, a minute after load: every task runs, odd:slow's scan has a minute to go. */
export async function scenario(builder = auditWorld()): Promise<Scenario> {
  const sim = createSimulator({ world: (clock) => builder.build(clock, "audit-world") });
  const world = sim.world as unknown as World;
  await sim.clock.advance(60_000);
  return {
    sim,
    world,
    deps: (extra = {}) => ({ aws: sim.ports("us-east-1", { maxAttempts: 1 }), clock: sim.clock, ...extra }),
    settings: (services, extra = {}) => ({
      targets: services.map((s): AuditTarget => ({ region: "us-east-1", cluster: "production", service: s })),
      source: "running",
      scanWaitTimeout: 0,
      ...extra,
    }),
  };
}

/** The row of one container of one service. */
export function row(report: AuditReport, service: string, container: string): ContainerAudit {
  const found = report.services.find((s) => s.service === service)?.containers.find((c) => c.name === container);
  if (!found) throw new Error(`no row for ${service} ${container}`);
  return found;
}
