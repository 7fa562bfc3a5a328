import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { isAllowed, type PolicyDocument, parsePolicyDocument, requiredActions } from "../../src/sim/iam.js";
import { createSimulator, SIM_ENDPOINT } from "../../src/sim/simulator.js";
import { TG_ARN, testWorld } from "./fixtures.js";

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
  ])("needs iam:PassRole too when %s hands ECS a role (%j)", (operation, input, actions) => {
    expect(requiredActions("ecs", operation, input)).toEqual(actions);
  });

  it("answers calls the policy does not allow with each service's access-denied error", async () => {
    const sim = createSimulator({ world: testWorld({ iamPolicy: policy }) });
    const config = {
      region: "us-east-1",
      endpoint: SIM_ENDPOINT,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      requestHandler: sim.requestHandler,
      maxAttempts: 1,
    };
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

describe("parsePolicyDocument", () => {
  it.each([
    [[], "iamPolicy: must be an IAM policy document"],
    [{}, "iamPolicy.Statement: required"],
    [{ Statement: [{ Effect: "Maybe", Action: "ecs:*" }] }, 'iamPolicy.Statement[0].Effect: must be "Allow" or "Deny"'],
    [{ Statement: { Effect: "Allow", Action: 3 } }, "iamPolicy.Statement.Action: must be an action"],
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
