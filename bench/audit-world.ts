/** The audit benchmark's world: SERVICES services × 4 containers, each image with 2,000 enhanced findings. */
import { createHash } from "node:crypto";
import type { AuditReport, AuditSettings } from "../src/audit/types.js";
import { WorldBuilder } from "../src/sim/world/index.js";

export const CONTAINERS = ["app", "sidecar", "proxy", "agent"];
export const FINDINGS = 2000;
export const LATENCY = 30;
export const LIMIT = 8;
const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

export const serviceName = (i: number) => `svc-${String(i).padStart(3, "0")}`;

export function scaleWorld(services: number, findings = FINDINGS): WorldBuilder {
  const b = new WorldBuilder({
    region: "us-east-1",
    accountId: "123456789012",
    vpcs: [{ vpcId: "vpc-0a1b2c3d4e5f67890", cidrBlock: "10.0.0.0/16" }],
    subnets: [
      {
        subnetId: "subnet-0a1b2c3d4e5f60001",
        vpcId: "vpc-0a1b2c3d4e5f67890",
        availabilityZone: "us-east-1a",
        cidrBlock: "10.0.1.0/24",
      },
    ],
    clusters: [{ name: "production" }],
  });
  CONTAINERS.forEach((container, c) => {
    b.repository({
      name: container,
      scanType: "ENHANCED",
      images: Array.from({ length: services }, (_, i) => ({
        tags: [serviceName(i)],
        scan: { status: "COMPLETE" as const, findings: { generate: { count: findings, seed: c * services + i + 1 } } },
      })),
    });
  });
  for (let i = 0; i < services; i += 1) {
    b.taskDefinition({
      family: serviceName(i),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: CONTAINERS.map((c) => ({
        name: c,
        image: `${ECR}/${c}:${serviceName(i)}`,
        essential: c === "app",
      })),
    });
    b.service({
      cluster: "production",
      serviceName: serviceName(i),
      taskDefinition: serviceName(i),
      desiredCount: 0,
      launchType: "FARGATE",
      subnets: ["subnet-0a1b2c3d4e5f60001"],
      securityGroups: [],
    });
  }
  return b;
}

export const scaleSettings = (services: number, concurrency: number): AuditSettings => ({
  targets: Array.from({ length: services }, (_, i) => ({
    region: "us-east-1",
    cluster: "production",
    service: serviceName(i),
  })),
  source: "task-definition",
  scanWaitTimeout: 0,
  concurrency,
});

/**
 * What must not depend on concurrency, transport or process: every row's status and its findings' ids and
 * severities, hashed a row at a time (one string of 1.6 million findings would weigh on the memory measured).
 */
export function contents(report: AuditReport): string {
  const hash = createHash("sha256");
  for (const s of report.services) {
    for (const c of s.containers) {
      hash.update(`${s.service}\n${c.name}\n${c.status}\n`);
      for (const f of c.findings) hash.update(`${f.id} ${f.severity}\n`);
    }
  }
  return hash.digest("hex");
}
