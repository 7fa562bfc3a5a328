/**
 * What ECS would refuse although the shape is right: enum values outside the SDK's model, and the task definition
 * rules that are cheap and certain to check locally. Each problem names the file, line, path and the fix.
 */
import { describe, expect, it } from "vitest";
import { loadDeployContext } from "../../src/context/load.js";
import { ENV, problemsOf, serviceWith, taskDefinitionWith, tempContext } from "./helpers.js";

type Td = Record<string, any>;

function setAt(root: Td, path: (string | number)[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<Td>((node, key) => node[key], root);
  parent[path[path.length - 1] as string | number] = value;
}

describe("enum values", () => {
  it.each([
    [
      "launchType SPOT",
      serviceWith((s) => {
        s.launchType = "SPOT";
      }),
      /service\.json:5:3: launchType: "SPOT" is not an allowed value; ECS accepts EC2, EXTERNAL, FARGATE, MANAGED_INSTANCES$/,
    ],
    [
      "launchType in lower case",
      serviceWith((s) => {
        s.launchType = "fargate";
      }),
      /service\.json:5:3: launchType: "fargate" is not an allowed value; did you mean "FARGATE"\? ECS accepts EC2, /,
    ],
    [
      "assignPublicIp yes",
      serviceWith((s) => {
        s.networkConfiguration.awsvpcConfiguration.assignPublicIp = "YES";
      }),
      /networkConfiguration\.awsvpcConfiguration\.assignPublicIp: "YES" is not an allowed value; ECS accepts DISABLED, ENABLED$/,
    ],
  ])("service.json: %s", (_, text, problem) => {
    const dir = tempContext({ "service.json": text });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(problem)]);
  });

  it.each([
    [
      "cpuArchitecture RISCV",
      (td: Td) => {
        td.runtimePlatform.cpuArchitecture = "RISCV";
      },
      /runtimePlatform\.cpuArchitecture: "RISCV" is not an allowed value; ECS accepts ARM64, X86_64$/,
    ],
    [
      "one of requiresCompatibilities",
      (td: Td) => {
        td.requiresCompatibilities = ["FARGATE", "SPOT"];
      },
      /requiresCompatibilities\[1\]: "SPOT" is not an allowed value; ECS accepts EC2, EXTERNAL, FARGATE, MANAGED_INSTANCES$/,
    ],
    [
      "a port mapping's protocol",
      (td: Td) => {
        td.containerDefinitions[0].portMappings[0].protocol = "TCP";
      },
      /containerDefinitions\[0\]\.portMappings\[0\]\.protocol: "TCP" is not an allowed value; did you mean "tcp"\? ECS accepts tcp, udp$/,
    ],
    [
      "a log driver",
      (td: Td) => {
        td.containerDefinitions[1].logConfiguration.logDriver = "cloudwatch";
      },
      /containerDefinitions\[1\]\.logConfiguration\.logDriver: "cloudwatch" is not an allowed value; ECS accepts awsfirelens, awslogs, fluentd, gelf, journald, json-file, splunk, syslog$/,
    ],
  ])("task-definition.json: %s", (_, change, problem) => {
    const dir = tempContext({ "task-definition.json": taskDefinitionWith(change) });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(problem)]);
    expect(problemsOf(dir)[0]).toMatch(/task-definition\.json:\d+:\d+: /);
  });
});

describe("ECS's task definition rules", () => {
  it.each<[string, (string | number)[], unknown, RegExp]>([
    [
      "memory abc",
      ["memory"],
      "abc",
      /memory: "abc" is not an amount of memory; write MiB like "2048" or GB like "2 GB"$/,
    ],
    [
      "cpu 1 core",
      ["cpu"],
      "1 core",
      /cpu: "1 core" is not an amount of CPU; write CPU units like "1024" or vCPUs like "1 vCPU"$/,
    ],
    [
      "an execution role that is not an ARN",
      ["executionRoleArn"],
      "not-an-arn",
      /executionRoleArn: "not-an-arn" is not an IAM role ARN; write arn:aws:iam::<account>:role\/<name>$/,
    ],
    [
      "an execution role ARN of a user",
      ["executionRoleArn"],
      "arn:aws:iam::123456789012:user/deploy",
      /executionRoleArn: "arn:aws:iam::123456789012:user\/deploy" is not an IAM role ARN/,
    ],
    [
      "a task role that is a policy ARN",
      ["taskRoleArn"],
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      /taskRoleArn: ".*" is neither an IAM role ARN nor a role name; write arn:aws:iam::<account>:role\/<name>$/,
    ],
    [
      "no essential container",
      ["containerDefinitions", 0, "essential"],
      false,
      /containerDefinitions: no container is essential; ECS needs at least one: set "essential": true on the main container$/,
    ],
    [
      "no container at all",
      ["containerDefinitions"],
      [],
      /containerDefinitions: is empty; a task definition needs at least one container, with a name and an image$/,
    ],
    [
      "a family with a space",
      ["family"],
      "web app",
      /family: "web app" is not a valid family; use up to 255 letters, digits, hyphens and underscores$/,
    ],
    [
      "a container without a name",
      ["containerDefinitions", 1, "name"],
      "",
      /containerDefinitions\[1\]\.name: is required by ECS; give each container a name, like app$/,
    ],
    [
      "a container name with a dot",
      ["containerDefinitions", 1, "name"],
      "log.router",
      /containerDefinitions\[1\]\.name: "log\.router" is not a valid container name; use up to 255 letters/,
    ],
    [
      "a container without an image",
      ["containerDefinitions", 0, "image"],
      "",
      /containerDefinitions\[0\]\.image: is required by ECS; name the image to run, like 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web:v1$/,
    ],
    [
      "dependsOn a missing container",
      ["containerDefinitions", 0, "dependsOn"],
      [{ containerName: "db", condition: "START" }],
      /containerDefinitions\[0\]\.dependsOn\[0\]\.containerName: "db" is not a container of this task definition; name one of app, log-router$/,
    ],
    [
      "two containers of one name",
      ["containerDefinitions", 1, "name"],
      "app",
      /containerDefinitions\[1\]\.name: "app" names two containers; give each its own name$/,
    ],
    [
      "a health-check interval of 0",
      ["containerDefinitions", 0, "healthCheck", "interval"],
      0,
      /containerDefinitions\[0\]\.healthCheck\.interval: is 0; set it between 5 and 300 seconds, ECS's range$/,
    ],
    [
      "a health-check timeout of 61",
      ["containerDefinitions", 0, "healthCheck", "timeout"],
      61,
      /healthCheck\.timeout: is 61; set it between 2 and 60 seconds, ECS's range$/,
    ],
    [
      "11 health-check retries",
      ["containerDefinitions", 0, "healthCheck", "retries"],
      11,
      /healthCheck\.retries: is 11; set it between 1 and 10, ECS's range$/,
    ],
  ])("%s", (_, path, value, problem) => {
    const dir = tempContext({ "task-definition.json": taskDefinitionWith((td) => setAt(td, path, value)) });
    const problems = problemsOf(dir);
    expect(problems).toEqual([expect.stringMatching(problem)]);
    expect(problems[0]).toMatch(new RegExp(`^${dir}/task-definition\\.json:\\d+:\\d+: `));
  });

  it.each([
    ["CPU units and vCPUs", { cpu: "0.5 vCPU", memory: "1 GB" }],
    ["GB without a space", { cpu: "256", memory: "2GB" }],
    ["a task role by name, as ECS documents", { taskRoleArn: "web-task" }],
    ["a role ARN with a path", { executionRoleArn: "arn:aws:iam::123456789012:role/service-role/web-execution" }],
    ["a GovCloud role ARN", { taskRoleArn: "arn:aws-us-gov:iam::123456789012:role/web-task" }],
  ])("accepts %s", (_, fields) => {
    const dir = tempContext({ "task-definition.json": taskDefinitionWith((td) => Object.assign(td, fields)) });
    expect(loadDeployContext(dir, { env: ENV }).taskDefinition).toMatchObject(fields);
  });
});
