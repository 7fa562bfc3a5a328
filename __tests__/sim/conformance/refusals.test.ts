/**
 * Issue 15 items 8 and 9 with independent clients: what ECS refuses, boto3 and the AWS CLI see refused by the
 * simulator's HTTP server with ECS's codes; where moto_server checks the same thing, it answers alike.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { awsCli, type BotoCall, boto, hasAwsCli, hasBoto3, hasMoto, startMoto } from "./tools.js";

const worldFile = fileURLToPath(new URL("../../../deploy-example/world.json", import.meta.url));
const CONTAINERS = JSON.stringify([{ name: "app", image: "nginx:1.27", essential: true }]);

describe.skipIf(!hasBoto3 && !hasAwsCli)("refusals through boto3 and the AWS CLI", { timeout: 120_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());

  it.skipIf(!hasBoto3)("boto3: quotas, enum values, task definitions and wrong types get ECS's errors", async () => {
    const out = (await boto(running.url, [
      { service: "ecs", op: "update_service", params: { cluster: "production", service: "web", desiredCount: 100000 } },
      {
        service: "ecs",
        op: "run_task",
        params: { cluster: "production", taskDefinition: "web:1", launchType: "SPOT", count: 1 },
      },
      {
        service: "ecs",
        op: "register_task_definition",
        params: { family: "x", memory: "512", containerDefinitions: [{ name: "a", image: "b", essential: false }] },
      },
      {
        service: "ecs",
        op: "register_task_definition",
        params: {
          family: "x",
          memory: "512",
          executionRoleArn: "not-an-arn",
          containerDefinitions: [{ name: "a", image: "b" }],
        },
      },
      {
        service: "ecs",
        op: "update_service",
        params: { cluster: "production", service: "web", desiredCount: "abc" },
        validate: false,
      },
      { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
    ])) as any[];
    expect(out.slice(0, 5).map((o) => o.error?.code)).toEqual([
      "InvalidParameterException",
      "InvalidParameterException",
      "ClientException",
      "ClientException",
      "SerializationException",
    ]);
    expect(out[0].error.message).toMatch(/5000 tasks per service/);
    expect(out[2].error.message).toBe("Task definition doesn't have any essential container.");
    expect(out[3].error.message).toBe("Role is not valid");
    expect(out[5].result.services[0]).toMatchObject({ desiredCount: 2 });
  });

  it.skipIf(!hasAwsCli)(
    "the AWS CLI: memory 'abc' and cpuArchitecture RISCV are refused, nothing is registered",
    async () => {
      const register = (...extra: string[]) =>
        awsCli(running.url, [
          "ecs",
          "register-task-definition",
          "--family",
          "cli-checked",
          "--requires-compatibilities",
          "FARGATE",
          "--network-mode",
          "awsvpc",
          "--cpu",
          "256",
          "--container-definitions",
          CONTAINERS,
          ...extra,
        ]);
      const memory = await register("--memory", "abc");
      expect(memory.code).not.toBe(0);
      expect(memory.stderr).toContain("(InvalidParameterException)");
      expect(memory.stderr).toContain("Invalid 'memory' setting for task.");
      const riscv = await register(
        "--memory",
        "512",
        "--runtime-platform",
        "cpuArchitecture=RISCV,operatingSystemFamily=LINUX",
      );
      expect(riscv.code).not.toBe(0);
      expect(riscv.stderr).toContain("(ClientException)");
      expect(riscv.stderr).toContain("Value 'RISCV' at 'runtimePlatform.cpuArchitecture'");
      const listed = await awsCli(running.url, ["ecs", "list-task-definitions", "--family-prefix", "cli-checked"]);
      expect(listed.json.taskDefinitionArns).toEqual([]);
    },
  );

  it.skipIf(!hasBoto3 || !hasMoto)("answers as moto_server where moto checks the same thing", async () => {
    const moto = await startMoto();
    try {
      const calls: BotoCall[] = [
        {
          service: "ecs",
          op: "register_task_definition",
          params: { family: "x", requiresCompatibilities: ["EC2"], containerDefinitions: [{ name: "a", image: "b" }] },
        },
        {
          service: "ecs",
          op: "register_task_definition",
          params: { family: "x", containerDefinitions: [{ name: "a" }] },
        },
      ];
      const theirs = (await boto(moto.url, calls)) as any[];
      const ours = (await boto(running.url, calls)) as any[];
      expect(ours.map((o) => o.error)).toEqual(theirs.map((o) => o.error));
    } finally {
      moto.stop();
    }
  });
});
