import type { CreateServiceRequest, Service } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { linesOf } from "../../src/plan/lines.js";
import { normaliseServiceUpdate, normaliseTaskDefinition } from "../../src/plan/normalise.js";

const file = {
  family: "web",
  containerDefinitions: [
    {
      name: "app",
      image: "web:v1",
      portMappings: [{ containerPort: 8080 }],
      environment: [
        { name: "B", value: "2" },
        { name: "A", value: "1" },
      ],
    },
  ],
};

/** What DescribeTaskDefinition returns for that file: ECS's defaults and read-only keys filled in. */
const registered = {
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
  revision: 3,
  status: "ACTIVE",
  compatibilities: ["EC2", "FARGATE"],
  requiresAttributes: [{ name: "com.amazonaws.ecs.capability.docker-remote-api.1.18" }],
  registeredAt: new Date("2026-01-01T00:00:00Z"),
  registeredBy: "arn:aws:iam::123456789012:user/ci",
  volumes: [],
  placementConstraints: [],
  family: "web",
  containerDefinitions: [
    {
      environment: [
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ],
      name: "app",
      image: "web:v1",
      cpu: 0,
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
      mountPoints: [],
      volumesFrom: [],
    },
  ],
};

describe("normaliseTaskDefinition", () => {
  it("makes a file and the revision ECS registered from it the same", () => {
    expect(normaliseTaskDefinition(registered, [])).toEqual(normaliseTaskDefinition(file));
  });

  it("keeps a value that differs from ECS's default", () => {
    const changed = structuredClone(file);
    Object.assign(changed.containerDefinitions[0] as object, { cpu: 256, essential: false });
    expect(linesOf(normaliseTaskDefinition(changed))).toEqual(
      expect.arrayContaining(["containerDefinitions[app].cpu: 256", "containerDefinitions[app].essential: false"]),
    );
  });

  it("keeps a host port that differs from the container port (bridge mode)", () => {
    const bridge = structuredClone(file);
    (bridge.containerDefinitions[0] as { portMappings: object[] }).portMappings = [
      { containerPort: 8080, hostPort: 80 },
    ];
    expect(linesOf(normaliseTaskDefinition(bridge))).toContain(
      "containerDefinitions[app].portMappings[0].hostPort: 80",
    );
  });
});

describe("linesOf", () => {
  it("names keyed entries by their name and quotes keys that are not plain", () => {
    const td = { ...file, containerDefinitions: [{ ...file.containerDefinitions[0], dockerLabels: { "a.b c": "x" } }] };
    expect(linesOf(normaliseTaskDefinition(td))).toEqual([
      'containerDefinitions[app].dockerLabels["a.b c"]: "x"',
      'containerDefinitions[app].environment[A].value: "1"',
      'containerDefinitions[app].environment[B].value: "2"',
      'containerDefinitions[app].image: "web:v1"',
      "containerDefinitions[app].portMappings[0].containerPort: 8080",
      'family: "web"',
    ]);
  });
});

describe("normaliseServiceUpdate", () => {
  const service: CreateServiceRequest = {
    serviceName: "web",
    desiredCount: 2,
    networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-b", "subnet-a"] } },
  };
  const live = {
    serviceName: "web",
    desiredCount: 2,
    runningCount: 2,
    loadBalancers: [],
    propagateTags: "NONE",
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], assignPublicIp: "DISABLED" },
    },
  } as Service;

  it("compares only what an update would send, with subnets in any order", () => {
    const { file, live: now } = normaliseServiceUpdate(service, live);
    expect(file).toEqual(now);
  });

  it("takes alarms and a circuit breaker that are off for none", () => {
    const file: CreateServiceRequest = { serviceName: "web", deploymentConfiguration: { maximumPercent: 200 } };
    const off = { enable: false, rollback: false };
    const described = {
      serviceName: "web",
      deploymentConfiguration: {
        maximumPercent: 200,
        strategy: "ROLLING",
        alarms: { ...off, alarmNames: [] },
        deploymentCircuitBreaker: off,
      },
    } as Service;
    const { file: sent, live: now } = normaliseServiceUpdate(file, described);
    expect(sent).toEqual(now);
    const on = {
      ...described,
      deploymentConfiguration: {
        ...described.deploymentConfiguration,
        deploymentCircuitBreaker: { enable: true, rollback: false },
      },
    } as Service;
    expect(linesOf(normaliseServiceUpdate(file, on).live)).toContain(
      "deploymentConfiguration.deploymentCircuitBreaker.enable: true",
    );
  });

  it("shows a load balancer the update would remove because service.json has none", () => {
    const attached = {
      ...live,
      loadBalancers: [{ targetGroupArn: "arn:tg", containerName: "app", containerPort: 80 }],
    };
    const { file, live: now } = normaliseServiceUpdate(service, attached);
    expect(linesOf(now)).toContain('loadBalancers[0].targetGroupArn: "arn:tg"');
    expect(linesOf(file).some((l) => l.startsWith("loadBalancers"))).toBe(false);
  });
});
