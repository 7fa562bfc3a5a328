/** The checks are pure functions of what was read: each verdict from a hand-made set of facts. */
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { CLI_NAMING } from "../../src/inputs/naming.js";
import { existsCheck, platformCheck } from "../../src/verify/checks-images.js";
import { loadBalancerChecks } from "../../src/verify/checks-lb.js";
import { addressesNeeded, instanceCheck, subnetChecks, taskSize } from "../../src/verify/checks-network.js";
import { executionRoleCheck, executionRoleNeeds, malformedArns } from "../../src/verify/checks-roles.js";
import { clusterCheck, serviceCheck } from "../../src/verify/checks-service.js";
import { renderChecklist, renderChecklistMarkdown } from "../../src/verify/render.js";
import type { Facts, VerifySettings } from "../../src/verify/types.js";
import { reportOf } from "../../src/verify/verify.js";

const SETTINGS: VerifySettings = {
  region: "us-east-1",
  cluster: "production",
  service: "web",
  for: "rollout",
  updateService: false,
  failOn: "critical",
  failOnFixableOnly: false,
  failOnUnscanned: "private",
  scanWaitTimeout: 0,
};
const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2";
const TD: RegisterTaskDefinitionRequest = {
  family: "web",
  cpu: "512",
  memory: "1024",
  executionRoleArn: "arn:aws:iam::123456789012:role/web-execution",
  containerDefinitions: [{ name: "app", image: IMAGE }],
};

function facts(over: Partial<Facts> = {}, settings: Partial<VerifySettings> = {}): Facts {
  return {
    settings: { ...SETTINGS, ...settings },
    naming: CLI_NAMING,
    cluster: { ok: true, value: { status: "ACTIVE", arn: "arn:aws:ecs:us-east-1:123456789012:cluster/production" } },
    service: { ok: true, value: { serviceName: "web", status: "ACTIVE", desiredCount: 2 } },
    taskDefinition: { ok: true, value: TD },
    images: [],
    ...over,
  };
}

describe("clusterCheck", () => {
  it.each([
    [{ ok: true, value: { status: "ACTIVE" } }, "OK"],
    [{ ok: true, value: { status: "INACTIVE" } }, "NG"],
    [{ ok: true, value: undefined }, "NG"],
    [{ ok: false, error: "denied", code: "AccessDeniedException" }, "SKIP"],
    [{ ok: false, error: "boom" }, "NG"],
  ] as const)("%j is %s", (cluster, status) => {
    expect(clusterCheck(facts({ cluster: cluster as Facts["cluster"] })).status).toBe(status);
  });
});

describe("serviceCheck", () => {
  const live = { ok: true as const, value: { serviceName: "web", status: "ACTIVE" } };
  const none = { ok: true as const, value: undefined };
  it.each([
    ["rollout", live, "OK"],
    ["rollout", none, "NG"],
    ["up", none, "OK"],
    ["up", live, "NG"],
    ["run", none, "OK"],
  ] as const)("for %s with %j is %s", (command, service, status) => {
    expect(serviceCheck(facts({ service }, { for: command })).status).toBe(status);
  });

  it("refuses a service another deployment controller owns", () => {
    const service = {
      ok: true as const,
      value: { status: "ACTIVE", deploymentController: { type: "CODE_DEPLOY" as const } },
    };
    expect(serviceCheck(facts({ service }))).toMatchObject({
      status: "NG",
      reason: expect.stringContaining("CODE_DEPLOY"),
    });
  });
});

describe("image checks", () => {
  const index = (platforms: string[]) =>
    JSON.stringify({
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: platforms.map((p, i) => ({ digest: `sha256:${i}`, platform: { os: "linux", architecture: p } })),
    });
  it.each([
    [{ ok: true, value: { text: "{}" } }, "OK"],
    [{ ok: true, value: undefined }, "NG"],
    [{ ok: false, error: "RepositoryNotFoundException" }, "NG"],
  ] as const)("exists: %j is %s", (manifest, status) => {
    expect(existsCheck({ container: "app", image: IMAGE, manifest }).status).toBe(status);
  });

  it("skips an image of another registry with the reason", () => {
    expect(existsCheck({ container: "x", image: "nginx", notEcr: "Docker Hub" })).toMatchObject({
      status: "SKIP",
      reason: "Docker Hub",
    });
  });

  it.each([
    [["amd64", "arm64"], "amd64", "OK"],
    [["arm64"], "amd64", "NG"],
  ])("platform: an index of %j for %s is %s", (platforms, arch, status) => {
    const manifest = {
      ok: true as const,
      value: { text: index(platforms), mediaType: "application/vnd.oci.image.index.v1+json" },
    };
    expect(platformCheck({ container: "app", image: IMAGE, manifest }, arch).status).toBe(status);
  });
});

describe("subnets and instances", () => {
  const subnet = (id: string, vpc: string, free: number) => ({
    SubnetId: id,
    VpcId: vpc,
    AvailableIpAddressCount: free,
  });
  const live = (desired: number, max: number) => ({
    ok: true as const,
    value: { status: "ACTIVE", desiredCount: desired, deploymentConfiguration: { maximumPercent: max } },
  });

  it.each([
    [2, 200, 3],
    [4, 150, 3],
    [3, 100, 1],
  ])("a rollout of %i tasks at maximumPercent %i needs %i addresses", (desired, max, count) => {
    expect(addressesNeeded(facts({ service: live(desired, max) })).count).toBe(count);
  });

  it("fails on a missing subnet, on two VPCs and on too few addresses", () => {
    const found = [subnet("subnet-a", "vpc-1", 1), subnet("subnet-b", "vpc-2", 1)];
    const checks = subnetChecks(
      facts({
        service: live(2, 200),
        subnets: { asked: ["subnet-a", "subnet-b", "subnet-c"], found: { ok: true, value: found } },
      }),
    );
    expect(checks.map((c) => c.status)).toEqual(["NG", "NG", "NG"]);
    expect(checks[0]?.reason).toBe("not found: subnet-c");
    expect(checks[1]?.reason).toContain("vpc-1, vpc-2");
    expect(checks[2]?.reason).toMatch(/^3 needed .*, 2 free/);
  });

  it("skips the subnet checks without awsvpc", () => {
    expect(subnetChecks(facts()).map((c) => c.status)).toEqual(["SKIP", "SKIP", "SKIP"]);
  });

  it("sizes a task from its containers when the task has no size", () => {
    expect(
      taskSize({
        family: "f",
        containerDefinitions: [
          { name: "a", cpu: 256, memory: 512 },
          { name: "b", memoryReservation: 64 },
        ],
      }),
    ).toEqual({ cpu: 256, memory: 576 });
  });

  it.each([
    [1024, 2048, "OK"],
    [256, 2048, "NG"],
    [1024, 512, "NG"],
  ])("an instance with CPU %i and memory %i left is %s for 512/1024", (cpu, memory, status) => {
    const instance = {
      ok: true as const,
      value: {
        status: "ACTIVE",
        remainingResources: [
          { name: "CPU", integerValue: cpu },
          { name: "MEMORY", integerValue: memory },
        ],
      },
    };
    expect(instanceCheck(facts({ instance }, { canaryInstanceArn: "i-0123456789abcdef0" })).status).toBe(status);
  });
});

describe("roles and ARNs", () => {
  it("names what needs the execution role", () => {
    const td: RegisterTaskDefinitionRequest = {
      family: "f",
      containerDefinitions: [
        {
          name: "app",
          image: IMAGE,
          logConfiguration: { logDriver: "awslogs" },
          secrets: [{ name: "S", valueFrom: "p" }],
        },
        { name: "side", image: "nginx:1" },
      ],
    };
    expect(executionRoleNeeds(td)).toEqual(["awslogs (app)", "secrets (app)", "private ECR (app)"]);
    expect(executionRoleCheck(facts({ taskDefinition: { ok: true, value: td } })).status).toBe("NG");
    expect(
      executionRoleCheck(
        facts({
          taskDefinition: { ok: true, value: { family: "f", containerDefinitions: [{ name: "s", image: "nginx" }] } },
        }),
      ).status,
    ).toBe("OK");
  });

  it("flags role and secret ARNs of the wrong shape", () => {
    const td: RegisterTaskDefinitionRequest = {
      family: "f",
      executionRoleArn: "arn:aws:iam::123456789012:user/me",
      taskRoleArn: "arn:aws:iam::123456789012:role/ok",
      containerDefinitions: [
        {
          name: "app",
          secrets: [
            { name: "A", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/db" },
            { name: "B", valueFrom: "arn:aws:s3:::bucket/key" },
            { name: "C", valueFrom: "plain-name" },
          ],
        },
      ],
    };
    const problems = malformedArns(td);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("executionRoleArn");
    expect(problems[1]).toContain("secret B");
  });
});

describe("reportOf", () => {
  it("counts each status and fails on any NG", () => {
    const report = reportOf([
      { name: "a", status: "OK", reason: "" },
      { name: "b", status: "NG", reason: "" },
      { name: "c", status: "SKIP", reason: "" },
    ]);
    expect(report).toMatchObject({ counts: { OK: 1, NG: 1, SKIP: 1 }, failed: true });
    expect(reportOf([{ name: "a", status: "SKIP", reason: "" }]).failed).toBe(false);
  });
});

describe("rendering", () => {
  const hostile = reportOf([
    { name: "image of app exists", status: "NG", reason: "\n::error::owned \u001b[31m <img src=x> ##[group]" },
  ]);

  it("prints AWS text inert in the log: no line break, escape or workflow command", () => {
    const lines = renderChecklist(hostile);
    expect(lines).toHaveLength(1);
    for (const raw of ["\n", "\r", "\u001b"]) expect(lines[0]).not.toContain(raw);
    expect(lines[0]).not.toContain("##[");
    expect(lines[0]).toContain("\\n::error::owned \\u001b[31m");
  });

  it("escapes it in the summary table: no live HTML", () => {
    const markdown = renderChecklistMarkdown(hostile);
    expect(markdown).not.toContain("<img");
    expect(markdown).toContain("&lt;img");
  });
});

describe("loadBalancerChecks", () => {
  const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
  const LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188";
  const lbFacts = (group: Record<string, unknown>, ingress: Record<string, unknown>[], networkMode = "awsvpc") =>
    facts({
      taskDefinition: {
        ok: true,
        value: {
          ...TD,
          networkMode,
          containerDefinitions: [{ name: "app", image: IMAGE, portMappings: [{ containerPort: 8080 }] }],
        } as RegisterTaskDefinitionRequest,
      },
      loadBalancing: {
        entries: [{ targetGroupArn: TG, containerName: "app", containerPort: 8080 }],
        targetGroups: [
          {
            arn: TG,
            found: { ok: true, value: { TargetGroupArn: TG, TargetType: "ip", LoadBalancerArns: [LB], ...group } },
          },
        ],
        loadBalancers: {
          ok: true,
          value: [{ LoadBalancerArn: LB, LoadBalancerName: "web-alb", SecurityGroups: ["sg-alb"] }],
        },
        taskGroups: {
          asked: ["sg-task"],
          found: { ok: true, value: [{ GroupId: "sg-task", IpPermissions: ingress }] },
        },
      },
    });
  const status = (f: Facts, name: string) => loadBalancerChecks(f).find((c) => c.name.startsWith(name));
  const FROM_ALB = { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: "sg-alb" }] };

  it("passes an ip target group forwarded to by a load balancer whose group may reach the port", () => {
    const checks = loadBalancerChecks(lbFacts({}, [FROM_ALB]));
    expect(checks.map((c) => c.status)).toEqual(["OK", "OK", "OK", "OK", "OK"]);
    expect(checks[2]?.reason).toBe("forwarded to by web-alb");
    expect(checks[4]?.reason).toBe("sg-task allows 8080 from sg-alb");
  });

  it.each([
    [
      "an instance target group for awsvpc tasks",
      { TargetType: "instance" },
      [FROM_ALB],
      "target group web-tg takes",
      /use a target group of type ip/,
    ],
    [
      "a target group no listener forwards to",
      { LoadBalancerArns: [] },
      [FROM_ALB],
      "target group web-tg is behind",
      /attach it to a listener/,
    ],
    [
      "an ingress rule on another port",
      {},
      [{ ...FROM_ALB, FromPort: 80, ToPort: 80 }],
      "load balancer can reach",
      /add that ingress rule/,
    ],
    [
      "an ingress rule from another group",
      {},
      [{ ...FROM_ALB, UserIdGroupPairs: [{ GroupId: "sg-other" }] }],
      "load balancer can reach",
      /from sg-alb/,
    ],
  ])("fails %s", (_, group, ingress, name, reason) => {
    const check = status(lbFacts(group, ingress), name);
    expect(check?.status).toBe("NG");
    expect(check?.reason).toMatch(reason);
  });

  it("accepts all traffic (-1) or an address range, and skips the groups of bridge-mode tasks", () => {
    expect(
      status(lbFacts({}, [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: "sg-alb" }] }]), "load balancer can reach")
        ?.status,
    ).toBe("OK");
    expect(
      status(
        lbFacts({}, [{ IpProtocol: "tcp", FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }]),
        "load balancer can reach",
      )?.reason,
    ).toBe("sg-task allows 8080 from 10.0.0.0/16");
    const bridge = lbFacts({ TargetType: "instance" }, [], "bridge");
    expect(status(bridge, "target group web-tg takes")?.status).toBe("OK");
    expect(status(bridge, "load balancer can reach")?.status).toBe("SKIP");
  });

  it("is one [SKIP] without load balancer entries", () => {
    expect(loadBalancerChecks(facts())).toEqual([
      {
        name: "load balancer entries",
        status: "SKIP",
        reason: "no load balancer entries: the canary is judged by its health checks alone",
      },
    ]);
  });
});
