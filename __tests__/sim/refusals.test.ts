/**
 * Issue 15 item 9: the simulator refuses what ECS refuses, with ECS's error code and wording, and registers
 * nothing when it does. Real SDK clients in-process against the demo world; the wire-level type errors go as raw
 * JSON, as a client that skips the SDK's serialisation would send them.
 */
import { readFileSync } from "node:fs";
import {
  CreateServiceCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
  StartTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/sim/simulator.js";
import { World } from "../../src/sim/world/index.js";
import { simClientConfig } from "./fixtures.js";

const demo = JSON.parse(readFileSync("deploy-example/world.json", "utf8"));
const NETWORK = {
  awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60001"], securityGroups: ["sg-0123456789abcdef0"] },
};

function setup() {
  const sim = createSimulator({ world: (clock) => World.fromJson(demo, "demo", { clock }) });
  return { sim, ecs: new ECSClient(simClientConfig(sim)) };
}

/** A task definition ECS takes; each case changes one thing. */
function valid(): RegisterTaskDefinitionCommandInput {
  return {
    family: "checked",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "256",
    memory: "512",
    executionRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    containerDefinitions: [
      { name: "app", image: "nginx:1.27", essential: true, portMappings: [{ containerPort: 80 }] },
      { name: "init", image: "busybox", essential: false },
    ],
  };
}

type Change = (td: any) => void;
const app = (td: any) => td.containerDefinitions[0];

const refused: [string, Change, string, string | RegExp][] = [
  ["memory 'abc'", (td) => (td.memory = "abc"), "InvalidParameterException", "Invalid 'memory' setting for task."],
  ["cpu '1 core'", (td) => (td.cpu = "1 core"), "InvalidParameterException", "Invalid 'cpu' setting for task."],
  [
    "executionRoleArn 'not-an-arn'",
    (td) => (td.executionRoleArn = "not-an-arn"),
    "ClientException",
    "Role is not valid",
  ],
  [
    "a task role that is neither ARN nor name",
    (td) => (td.taskRoleArn = "role with spaces"),
    "ClientException",
    "Role is not valid",
  ],
  [
    "cpuArchitecture RISCV",
    (td) => (td.runtimePlatform = { cpuArchitecture: "RISCV" }),
    "ClientException",
    "1 validation error detected: Value 'RISCV' at 'runtimePlatform.cpuArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [ARM64, X86_64]",
  ],
  ["networkMode 'vpc'", (td) => (td.networkMode = "vpc"), "ClientException", /Value 'vpc' at 'networkMode'/],
  [
    "a port protocol 'sctp'",
    (td) => (app(td).portMappings[0].protocol = "sctp"),
    "ClientException",
    /Value 'sctp' at 'containerDefinitions\[0\]\.portMappings\[0\]\.protocol'/,
  ],
  [
    "health-check interval 0",
    (td) => (app(td).healthCheck = { command: ["CMD", "true"], interval: 0 }),
    "ClientException",
    "Invalid setting for container 'app'. The healthCheck interval must be between 5 and 300, got 0.",
  ],
  [
    "health-check retries 11",
    (td) => (app(td).healthCheck = { command: ["CMD", "true"], retries: 11 }),
    "ClientException",
    /healthCheck retries must be between 1 and 10/,
  ],
  [
    "no essential container",
    (td) => (app(td).essential = false),
    "ClientException",
    "Task definition doesn't have any essential container.",
  ],
  [
    "dependsOn naming a missing container",
    (td) => (app(td).dependsOn = [{ containerName: "db", condition: "START" }]),
    "ClientException",
    "Invalid setting for container 'app'. dependsOn names container 'db', which is not in the task definition.",
  ],
  [
    "dependsOn SUCCESS of an essential container",
    (td) => {
      td.containerDefinitions[1].essential = true;
      app(td).dependsOn = [{ containerName: "init", condition: "SUCCESS" }];
    },
    "ClientException",
    "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container",
  ],
  [
    "a dependsOn condition 'READY'",
    (td) => (app(td).dependsOn = [{ containerName: "init", condition: "READY" }]),
    "ClientException",
    /Value 'READY' at 'containerDefinitions\[0\]\.dependsOn\[0\]\.condition'/,
  ],
  [
    "Fargate without task cpu",
    (td) => delete td.cpu,
    "ClientException",
    "Fargate requires that 'cpu' be defined at the task level.",
  ],
  [
    "a Fargate size that does not exist",
    (td) => (td.memory = "4096"),
    "ClientException",
    "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.",
  ],
  [
    "awsvpc host port unlike the container port",
    (td) => (app(td).portMappings[0].hostPort = 8080),
    "ClientException",
    "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
  ],
  [
    "secrets without an execution role",
    (td) => {
      delete td.executionRoleArn;
      app(td).secrets = [{ name: "DB", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/db" }];
    },
    "ClientException",
    "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
  ],
  [
    "a container with more memory than the task",
    (td) => (app(td).memory = 1024),
    "ClientException",
    "The 'memory' setting for container 'app' is greater than for the task.",
  ],
  [
    "EC2 containers without memory",
    (td) => {
      td.requiresCompatibilities = ["EC2"];
      td.networkMode = "bridge";
      delete td.cpu;
      delete td.memory;
    },
    "ClientException",
    "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.",
  ],
  [
    "awslogs without its group",
    (td) => (app(td).logConfiguration = { logDriver: "awslogs", options: { "awslogs-region": "us-east-1" } }),
    "ClientException",
    "Log driver awslogs requires options: awslogs-region, awslogs-group",
  ],
];

describe("RegisterTaskDefinition refuses what ECS refuses", () => {
  it("registers the valid base definition (so each refusal below is the change's)", async () => {
    const { ecs } = setup();
    const out = await ecs.send(new RegisterTaskDefinitionCommand(valid()));
    expect(out.taskDefinition?.taskDefinitionArn).toBe("arn:aws:ecs:us-east-1:123456789012:task-definition/checked:1");
  });

  it.each(refused)("%s", async (_what, change, code, message) => {
    const { ecs } = setup();
    const td = valid();
    change(td);
    const sent = ecs.send(new RegisterTaskDefinitionCommand(td));
    await expect(sent).rejects.toMatchObject({
      name: code,
      message: typeof message === "string" ? message : expect.stringMatching(message),
    });
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "checked" }));
    expect(listed.taskDefinitionArns).toEqual([]);
  });

  it("stores '1 vCPU' and '2 GB' as ECS does, in units and MiB", async () => {
    const { ecs } = setup();
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ ...valid(), cpu: "1 vCPU", memory: "2 GB" }));
    expect([out.taskDefinition?.cpu, out.taskDefinition?.memory]).toEqual(["1024", "2048"]);
  });
});

describe("services and tasks refuse values ECS refuses", () => {
  const service = { cluster: "production", serviceName: "other", taskDefinition: "web:1", desiredCount: 1 };
  it.each([
    [
      "CreateService launchType SPOT",
      () => new CreateServiceCommand({ ...service, launchType: "SPOT" as never, networkConfiguration: NETWORK }),
      /Value 'SPOT' at 'launchType'/,
    ],
    [
      "RunTask launchType SPOT",
      () =>
        new RunTaskCommand({
          cluster: "production",
          taskDefinition: "web:1",
          launchType: "SPOT" as never,
          networkConfiguration: NETWORK,
        }),
      /Value 'SPOT' at 'launchType'.*\[EC2, EXTERNAL, FARGATE, MANAGED_INSTANCES\]/,
    ],
    [
      "UpdateService propagateTags ALL",
      () => new UpdateServiceCommand({ cluster: "production", service: "web", propagateTags: "ALL" as never }),
      /Value 'ALL' at 'propagateTags'/,
    ],
    [
      "StartTask assignPublicIp YES",
      () =>
        new StartTaskCommand({
          cluster: "production",
          taskDefinition: "web:1",
          containerInstances: ["x"],
          networkConfiguration: {
            awsvpcConfiguration: { ...NETWORK.awsvpcConfiguration, assignPublicIp: "YES" as never },
          },
        }),
      /Value 'YES' at 'networkConfiguration\.awsvpcConfiguration\.assignPublicIp'/,
    ],
    [
      "RunTask EC2 with a platform version",
      () =>
        new RunTaskCommand({
          cluster: "production",
          taskDefinition: "web:1",
          launchType: "EC2",
          platformVersion: "1.4.0",
          networkConfiguration: NETWORK,
        }),
      "The platform version must be null when specifying an EC2 launch type.",
    ],
    [
      "CreateService with 17 subnets",
      () =>
        new CreateServiceCommand({
          ...service,
          launchType: "FARGATE",
          networkConfiguration: {
            awsvpcConfiguration: { subnets: Array.from({ length: 17 }, (_, i) => `subnet-${i}`) },
          },
        }),
      "subnets can have at most 16 items.",
    ],
  ])("%s", async (_what, command, message) => {
    const { sim, ecs } = setup();
    await expect(ecs.send(command() as never)).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: typeof message === "string" ? message : expect.stringMatching(message),
    });
    expect(sim.journal.mutations().filter((c) => c.status === 200)).toEqual([]);
  });
});

describe("type errors in the JSON body are SerializationException, as in AWS's JSON protocol", () => {
  it.each([
    ["UpdateService", '{"cluster":"production","service":"web","desiredCount":"abc"}'],
    ["RegisterTaskDefinition", '{"family":"x","containerDefinitions":[{"name":"a","image":"b","memory":"512"}]}'],
    ["RunTask", '{"cluster":"production","taskDefinition":"web:1","count":[1]}'],
  ])("%s %s", async (action, body) => {
    const { sim } = setup();
    const res = await sim.dispatch({
      method: "POST",
      path: "/",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AmazonEC2ContainerServiceV20141113.${action}`,
      },
      body,
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe("SerializationException");
  });
});
