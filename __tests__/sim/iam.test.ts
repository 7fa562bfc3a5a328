import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { isAllowed, type PolicyDocument, parsePolicyDocument, requiredActions } from "../../src/sim/iam.js";
import { resourcesOf } from "../../src/sim/iam-resources.js";
import { createSimulator, type WorldLike } from "../../src/sim/simulator.js";
import { World } from "../../src/sim/world/index.js";
import { simClientConfig, TG_ARN, testWorld } from "./fixtures.js";
import { TG_ARN as DEMO_TG, demoJson } from "./world/harness.js";

const policy: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["ecs:Describe*", "ec2:DescribeSubnets"], Resource: "*" },
    { Effect: "Deny", Action: "ecs:DescribeTaskDefinition", Resource: "*" },
  ],
};

describe("IAM policy", () => {
  it.each([
    ["ecs:DescribeTasks", true],
    ["ECS:describetasks", true],
    ["ecs:DescribeTaskDefinition", false],
    ["ecs:ListTasks", false],
    ["ec2:DescribeSubnets", true],
    ["elasticloadbalancing:DescribeTargetHealth", false],
  ])("decides %s → %s", (action, allowed) => {
    expect(isAllowed(policy, action)).toBe(allowed);
  });

  it.each([
    ["RunTask", { tags: [{ key: "k", value: "v" }] }, ["ecs:RunTask", "ecs:TagResource"]],
    ["RunTask", { tags: [] }, ["ecs:RunTask"]],
    ["CreateService", { tags: [{ key: "k", value: "v" }] }, ["ecs:CreateService", "ecs:TagResource"]],
    ["DescribeTasks", { tags: [{ key: "k" }] }, ["ecs:DescribeTasks"]],
  ])("needs ecs:TagResource too when %s creates something with tags (%j)", (operation, input, actions) => {
    expect(requiredActions("ecs", operation, input)).toEqual(actions);
  });

  const role = "arn:aws:iam::123456789012:role/web-task";
  it.each([
    ["RegisterTaskDefinition", { family: "web", taskRoleArn: role }, ["ecs:RegisterTaskDefinition", "iam:PassRole"]],
    [
      "RegisterTaskDefinition",
      { family: "web", executionRoleArn: role },
      ["ecs:RegisterTaskDefinition", "iam:PassRole"],
    ],
    ["RegisterTaskDefinition", { family: "web" }, ["ecs:RegisterTaskDefinition"]],
    ["RunTask", { overrides: { taskRoleArn: role } }, ["ecs:RunTask", "iam:PassRole"]],
    ["StartTask", { overrides: { executionRoleArn: role } }, ["ecs:StartTask", "iam:PassRole"]],
    ["RunTask", { overrides: { containerOverrides: [] } }, ["ecs:RunTask"]],
    ["CreateService", { serviceName: "web", role: "ecsServiceRole" }, ["ecs:CreateService", "iam:PassRole"]],
    ["CreateService", { serviceName: "web" }, ["ecs:CreateService"]],
  ])("needs iam:PassRole too when %s hands ECS a role (%j)", (operation, input, actions) => {
    expect(requiredActions("ecs", operation, input)).toEqual(actions);
  });

  it("answers calls the policy does not allow with each service's access-denied error", async () => {
    const sim = createSimulator({ world: testWorld({ iamPolicy: policy }) });
    const config = simClientConfig(sim);
    await expect(new ECSClient(config).send(new DescribeTasksCommand({ tasks: ["a"] }))).resolves.toBeDefined();
    await expect(new EC2Client(config).send(new DescribeSubnetsCommand({}))).resolves.toBeDefined();

    const ecs = await new ECSClient(config).send(new ListTasksCommand({})).catch((e) => e);
    expect(ecs.name).toBe("AccessDeniedException");
    expect(ecs.message).toContain("User is not authorized to perform: ecs:ListTasks");

    const elb = await new ElasticLoadBalancingV2Client(config)
      .send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }))
      .catch((e) => e);
    expect(elb.name).toBe("AccessDenied");
    expect(elb.$metadata.httpStatusCode).toBe(403);
    expect(elb.message).toContain("elasticloadbalancing:DescribeTargetHealth");
    expect(sim.journal.calls().map((c) => c.errorCode)).toEqual([
      undefined,
      undefined,
      "AccessDeniedException",
      "AccessDenied",
    ]);
  });
});

describe("IAM policy resources", () => {
  const scoped: PolicyDocument = {
    Statement: [
      { Effect: "Allow", Action: "ecs:UpdateService", Resource: "arn:aws:ecs:*:*:service/production/web*" },
      { Effect: "Deny", Action: "ecs:*", Resource: "arn:aws:ecs:*:*:service/production/web-secret" },
      { Effect: "Allow", Action: "ecs:RunTask", Resource: ["arn:aws:ecs:us-east-1:*:task-definition/web:?"] },
      { Effect: "Allow", Action: "ecs:StopTask", NotResource: "arn:aws:ecs:*:*:task/staging/*" },
      { Effect: "Allow", Action: "ecs:DescribeServices", Resource: "*" },
    ],
  };
  const ecs = (resource: string) => `arn:aws:ecs:us-east-1:123456789012:${resource}`;

  it.each([
    ["ecs:UpdateService", ecs("service/production/web"), true],
    ["ecs:UpdateService", ecs("service/production/web-canary"), true],
    ["ecs:UpdateService", ecs("service/production/api"), false],
    ["ecs:UpdateService", ecs("service/production/web-secret"), false],
    ["ecs:UpdateService", ecs("service/Production/web"), false],
    // An unknown resource leaves every statement applying, the resource-scoped Deny too.
    ["ecs:UpdateService", undefined, false],
    ["ecs:RunTask", ecs("task-definition/web:7"), true],
    ["ecs:RunTask", ecs("task-definition/web:12"), false],
    ["ecs:RunTask", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7", false],
    ["ecs:StopTask", ecs("task/production/abc"), true],
    ["ecs:StopTask", ecs("task/staging/abc"), false],
    ["ecs:DescribeServices", ecs("service/production/api"), true],
    ["ecs:DescribeServices", ecs("service/production/web-secret"), false],
  ])("decides %s on %s → %s", (action, resource, allowed) => {
    expect(isAllowed(scoped, action, resource)).toBe(allowed);
  });

  const where = { region: "us-east-1", accountId: "123456789012" };
  const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc";
  it.each([
    ["ecs", "UpdateService", { cluster: "production", service: "web" }, [ecs("service/production/web")]],
    ["ecs", "UpdateService", { service: ecs("service/production/web") }, [ecs("service/production/web")]],
    ["ecs", "CreateService", { serviceName: "web" }, [ecs("service/default/web")]],
    [
      "ecs",
      "DescribeServices",
      { cluster: ecs("cluster/production"), services: ["a", "b"] },
      [ecs("service/production/a"), ecs("service/production/b")],
    ],
    ["ecs", "DescribeTasks", { cluster: "production", tasks: ["t1"] }, [ecs("task/production/t1")]],
    ["ecs", "StopTask", { cluster: "production", task: "t1" }, [ecs("task/production/t1")]],
    ["ecs", "RunTask", { taskDefinition: "web:3" }, [ecs("task-definition/web:3")]],
    ["ecs", "RunTask", { taskDefinition: "web" }, undefined],
    ["ecs", "ListContainerInstances", { cluster: "production" }, [ecs("cluster/production")]],
    ["ecs", "DescribeClusters", {}, [ecs("cluster/default")]],
    ["ecs", "DescribeTaskDefinition", { taskDefinition: "web:3" }, undefined],
    ["elasticloadbalancing", "RegisterTargets", { TargetGroupArn: TG }, [TG]],
    ["elasticloadbalancing", "DescribeTargetHealth", { TargetGroupArn: TG }, undefined],
  ])("%s:%s on %j acts on %j", (signingName, operation, input, resources) => {
    expect(resourcesOf(signingName, operation, input, where)).toEqual(resources);
  });

  it("denies a call on a resource the policy does not cover, naming the resource, and allows the covered one", async () => {
    const json = demoJson() as any;
    json.iamPolicy = {
      Statement: [
        { Effect: "Allow", Action: ["ecs:UpdateService"], Resource: "arn:aws:ecs:*:*:service/production/web" },
        { Effect: "Allow", Action: ["ecs:DescribeServices"], Resource: "*" },
        {
          Effect: "Allow",
          Action: "elasticloadbalancing:RegisterTargets",
          Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/api-tg/*",
        },
      ],
    };
    const sim = createSimulator({
      world: (clock) => World.fromJson(json, "iam.json", { clock }) as unknown as WorldLike,
    });
    const aws = sim.ports("us-east-1", { maxAttempts: 1 });
    const updated = await aws.ecs.updateService({ cluster: "production", service: "web", desiredCount: 3 });
    expect(updated.service?.desiredCount).toBe(3);
    const other = await aws.ecs
      .updateService({ cluster: "production", service: "api", desiredCount: 1 })
      .catch((e) => e);
    expect(other).toMatchObject({
      name: "AccessDeniedException",
      message:
        "User is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/production/api because no identity-based policy allows the ecs:UpdateService action",
    });
    const tgArn = DEMO_TG;
    const register = await aws.elbv2
      .registerTargets({ TargetGroupArn: tgArn, Targets: [{ Id: "10.0.1.99", Port: 8080 }] })
      .catch((e) => e);
    expect(register).toMatchObject({ name: "AccessDenied" });
    expect(register.message).toContain(`elasticloadbalancing:RegisterTargets on resource: ${tgArn}`);
    const described = await aws.ecs.describeServices({ cluster: "production", services: ["web"] });
    expect(described.services?.[0]?.desiredCount).toBe(3);
  });
});

describe("IAM policy conditions", () => {
  const passRole = (condition: Record<string, Record<string, string | string[]>>): PolicyDocument => ({
    Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: condition }],
  });
  const tasks = { "iam:passedtoservice": "ecs-tasks.amazonaws.com" };
  const ecsItself = { "iam:passedtoservice": "ecs.amazonaws.com" };

  it.each([
    [{ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }, tasks, true],
    [{ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }, ecsItself, false],
    [{ StringEquals: { "IAM:passedToService": ["ecs.amazonaws.com", "ecs-tasks.amazonaws.com"] } }, ecsItself, true],
    [{ StringLike: { "iam:PassedToService": "ecs*.amazonaws.com" } }, tasks, true],
    [{ StringNotEquals: { "iam:PassedToService": "ecs.amazonaws.com" } }, ecsItself, false],
    [{ StringNotEquals: { "iam:PassedToService": "ecs.amazonaws.com" } }, tasks, true],
    [{ StringEqualsIgnoreCase: { "iam:PassedToService": "ECS-TASKS.amazonaws.com" } }, tasks, true],
    // A key the request does not carry: only IfExists and the negated operators hold.
    [{ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }, {}, false],
    [{ StringEqualsIfExists: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }, {}, true],
    [{ StringNotLike: { "aws:RequestedRegion": "eu-*" } }, tasks, true],
    // Every operator and key must hold.
    [
      {
        StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        StringLike: { "aws:RequestedRegion": "us-*" },
      },
      tasks,
      false,
    ],
  ])("decides %j with %j → %s", (condition, context, allowed) => {
    expect(isAllowed(passRole(condition), "iam:PassRole", undefined, context)).toBe(allowed);
  });

  it("passes task roles to ecs-tasks.amazonaws.com and a service's load-balancer role to ecs.amazonaws.com", async () => {
    const json = demoJson() as any;
    json.iamPolicy = {
      Statement: [
        {
          Effect: "Allow",
          Action: ["ecs:RegisterTaskDefinition", "ecs:CreateService", "ecs:DescribeServices"],
          Resource: "*",
        },
        passRole({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }).Statement,
      ].flat(),
    };
    const sim = createSimulator({
      world: (clock) => World.fromJson(json, "iam.json", { clock }) as unknown as WorldLike,
    });
    const aws = sim.ports("us-east-1", { maxAttempts: 1 });
    const registered = await aws.ecs.registerTaskDefinition({
      family: "web",
      executionRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
      containerDefinitions: [{ name: "web", image: "nginx:1.27", memory: 128 }],
    });
    expect(registered.taskDefinition?.family).toBe("web");
    const created = await aws.ecs
      .createService({ cluster: "production", serviceName: "legacy", taskDefinition: "web", role: "ecsServiceRole" })
      .catch((e) => e);
    expect(created).toMatchObject({ name: "AccessDeniedException" });
    expect(created.message).toContain("User is not authorized to perform: iam:PassRole");
    expect(await aws.ecs.describeServices({ cluster: "production", services: ["legacy"] })).toMatchObject({
      services: [],
    });
  });
});

describe("parsePolicyDocument", () => {
  it.each([
    [[], "iamPolicy: must be an IAM policy document"],
    [{}, "iamPolicy.Statement: required"],
    [{ Statement: [{ Effect: "Maybe", Action: "ecs:*" }] }, 'iamPolicy.Statement[0].Effect: must be "Allow" or "Deny"'],
    [{ Statement: { Effect: "Allow", Action: 3 } }, "iamPolicy.Statement.Action: must be an action"],
    [
      { Statement: { Effect: "Allow", Action: "ecs:*", Resource: [3] } },
      'iamPolicy.Statement.Resource: must be "*" or an ARN',
    ],
    [
      { Statement: { Effect: "Allow", Action: "ecs:*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } } },
      "iamPolicy.Statement.Condition.IpAddress: the simulator evaluates the String operators only",
    ],
    [
      { Statement: { Effect: "Allow", Action: "ecs:*", Condition: { StringEquals: { "aws:PrincipalTag/team": 3 } } } },
      "iamPolicy.Statement.Condition.StringEquals.aws:PrincipalTag/team: must be a string or a list of strings",
    ],
  ])("rejects %j", (value, message) => {
    expect(() => parsePolicyDocument(value)).toThrow(message);
  });

  it("rejects a world whose policy is invalid when the simulator is created", () => {
    expect(() =>
      createSimulator({ world: testWorld({ iamPolicy: { Statement: [] as unknown[], Version: 1 } }) }),
    ).not.toThrow();
    expect(() => createSimulator({ world: testWorld({ iamPolicy: "allow all" }) })).toThrow("iamPolicy: must be");
  });
});
