/**
 * Issue 15 item 8: no single request may hang, kill or corrupt `cage sim serve`. Each bad request gets AWS's error
 * (or a 400 from the control API naming what is accepted) and changes nothing, and the server answers right after.
 */
import { fileURLToPath } from "node:url";
import { DescribeClustersCommand, DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../src/sim/serve.js";

const worldFile = fileURLToPath(new URL("../../deploy-example/world.json", import.meta.url));
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

let running: RunningSimulator;
let ecs: ECSClient;
// Simulated time almost stands still, so the clock can be compared before and after a refused advance.
beforeAll(async () => {
  running = await serve({ worldFile, port: 0, timeScale: 1e-6, log: () => {} });
  ecs = new ECSClient({ region: "us-east-1", endpoint: running.url, credentials, maxAttempts: 1 });
});
afterAll(() => running?.close());

/** The JSON protocol as any client can send it, so values the SDK would not serialise get through too. */
async function ecsCall(action: string, body: string) {
  const res = await fetch(running.url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AmazonEC2ContainerServiceV20141113.${action}`,
      authorization:
        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=x",
    },
    body,
  });
  return {
    status: res.status,
    json: (await res.json()) as { __type?: string; message?: string } & Record<string, any>,
  };
}

const control = async (method: string, path: string, body?: string) => {
  const res = await fetch(`${running.url}${path}`, { method, ...(body === undefined ? {} : { body }) });
  return { status: res.status, json: (await res.json()) as any };
};

const web = async () =>
  (await ecs.send(new DescribeServicesCommand({ cluster: "production", services: ["web"] }))).services![0]!;

/** The server still answers a plain read. */
async function stillAnswers() {
  const out = await ecs.send(new DescribeClustersCommand({ clusters: ["production"] }));
  expect(out.clusters?.[0]?.clusterName).toBe("production");
}

describe("counts that would allocate without bound get ECS's error", () => {
  it.each([
    [
      "UpdateService",
      '{"cluster":"production","service":"web","desiredCount":100000}',
      /quota of 5000 tasks per service/,
    ],
    [
      "UpdateService",
      '{"cluster":"production","service":"web","desiredCount":100000000}',
      /quota of 5000 tasks per service/,
    ],
    ["UpdateService", '{"cluster":"production","service":"web","desiredCount":-1}', /0 or more/],
    ["UpdateService", '{"cluster":"production","service":"web","desiredCount":1e308}', /quota of 5000/],
    [
      "CreateService",
      '{"cluster":"production","serviceName":"big","taskDefinition":"web:1","desiredCount":5001,"launchType":"FARGATE"}',
      /quota of 5000 tasks per service/,
    ],
    ["RunTask", '{"cluster":"production","taskDefinition":"web:1","count":11}', /Count must be between 1 and 10/],
    ["RunTask", '{"cluster":"production","taskDefinition":"web:1","count":0}', /Count must be between 1 and 10/],
  ])("%s %s", async (action, body, message) => {
    const before = await web();
    const res = await ecsCall(action, body);
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe("InvalidParameterException");
    expect(res.json.message).toMatch(message);
    const after = await web();
    expect([after.desiredCount, after.deployments?.length]).toEqual([before.desiredCount, before.deployments?.length]);
    await stillAnswers();
  });

  it("takes the quota itself: 5000 tasks are started, and the server answers after", async () => {
    const res = await ecsCall("UpdateService", '{"cluster":"production","service":"web","desiredCount":5000}');
    expect(res.status).toBe(200);
    expect(res.json.service.desiredCount).toBe(5000);
    await stillAnswers();
    await ecsCall("UpdateService", '{"cluster":"production","service":"web","desiredCount":2}');
  });

  it("refuses a target group whose health checks could never end", async () => {
    const elbv2 = new ElasticLoadBalancingV2Client({
      region: "us-east-1",
      endpoint: running.url,
      credentials,
      maxAttempts: 1,
    });
    const create = elbv2.send(
      new CreateTargetGroupCommand({
        Name: "tight",
        Protocol: "HTTP",
        Port: 80,
        VpcId: "vpc-0a1b2c3d4e5f67890",
        HealthCheckIntervalSeconds: 0,
      }),
    );
    await expect(create).rejects.toMatchObject({
      name: "ValidationError",
      message: expect.stringContaining("Member must have value greater than or equal to 5"),
    });
    await stillAnswers();
  });
});

describe("POST /_sim/advance", () => {
  it.each([["1e308"], ["1e309"], ["-5"], ['"60"'], ["null"], [String(10 * 365 * 24 * 3600 + 1)]])(
    '{"seconds": %s} is refused with the accepted range, and the clock stays where it was',
    async (seconds) => {
      const before = Date.parse((await control("GET", "/_sim/health")).json.now);
      const res = await control("POST", "/_sim/advance", `{"seconds": ${seconds}}`);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatch(/a number from 0 to 315360000 \(ten years\)/);
      const after = Date.parse((await control("GET", "/_sim/health")).json.now);
      expect(after - before).toBeLessThan(1000);
      await stillAnswers();
    },
  );

  it("moves a year, after which the world answers as it should", async () => {
    const before = Date.parse((await control("GET", "/_sim/health")).json.now);
    const res = await control("POST", "/_sim/advance", '{"seconds": 31536000}');
    expect(res.status).toBe(200);
    expect(Date.parse(res.json.now) - before).toBeGreaterThanOrEqual(31536000 * 1000);
    expect(await web()).toMatchObject({ runningCount: 2, desiredCount: 2 });
    const state = (await control("GET", "/_sim/state")).json;
    const health = state.targetGroups[0].TargetHealthDescriptions.map((d: any) => d.TargetHealth.State);
    expect(health).toEqual(["healthy", "healthy"]);
  });
});

describe("POST /_sim/world?variant=", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "refuses %s, which is no variant of the world, and keeps the world",
    async (variant) => {
      const before = (await control("GET", "/_sim/state")).json;
      const { readFile } = await import("node:fs/promises");
      const res = await control("POST", `/_sim/world?variant=${variant}`, await readFile(worldFile, "utf8"));
      expect(res.status).toBe(400);
      expect(res.json.error).toContain(`no variant "${variant}"`);
      const after = (await control("GET", "/_sim/state")).json;
      expect(after.services.map((s: any) => s.serviceArn)).toEqual(before.services.map((s: any) => s.serviceArn));
      await stillAnswers();
    },
  );
});
