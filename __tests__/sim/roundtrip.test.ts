/**
 * Model-driven proof of the codecs: for each operation, a sample input and output filled from the SDK's own
 * schema (every member, nested lists, maps, timestamps, blobs) make the full trip SDK → wire → simulator → wire
 * → SDK and come back equal.
 */

import { readFileSync } from "node:fs";
import * as CW from "@aws-sdk/client-cloudwatch";
import * as EC2 from "@aws-sdk/client-ec2";
import * as ECR from "@aws-sdk/client-ecr";
import * as ECS from "@aws-sdk/client-ecs";
import * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import { NormalizedSchema } from "@smithy/core/schema";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/sim/clock.js";
import { services } from "../../src/sim/models.js";
import { loadWorldJson } from "../../src/sim/serve.js";
import { createSimulator, SIM_ENDPOINT } from "../../src/sim/simulator.js";
import type { Operations, ServiceId } from "../../src/sim/types.js";
import { type SampleValues, schemaSample } from "./schema-sample.js";

/** Two of each, with milliseconds, a high byte and characters every wire format must escape. */
const ROUNDTRIP_VALUES: SampleValues = {
  count: 2,
  date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
  blob: new Uint8Array([1, 2, 250]),
  text: (member) => `${member}-<&"'>`,
};
const sample = (ns: NormalizedSchema, name: string) => schemaSample(ns, ROUNDTRIP_VALUES, name);

const modules: Record<ServiceId, Record<string, any>> = { ecs: ECS, ecr: ECR, elbv2: ELB, ec2: EC2, cloudwatch: CW };
const clientNames: Record<ServiceId, string> = {
  ecs: "ECSClient",
  ecr: "ECRClient",
  elbv2: "ElasticLoadBalancingV2Client",
  ec2: "EC2Client",
  cloudwatch: "CloudWatchClient",
};

/** Every operation the world implements, plus a few it does not, to cover more of each protocol's shapes. */
const demo = JSON.parse(readFileSync(new URL("../../deploy-example/world.json", import.meta.url), "utf8"));
const implemented = loadWorldJson(demo, "deploy-example/world.json", new VirtualClock()).operations;
const extra: [ServiceId, string][] = [
  ["ecs", "DescribeServiceDeployments"],
  ["elbv2", "DescribeLoadBalancers"],
  ["ec2", "DescribeInstances"],
];
const cases: [ServiceId, string][] = [
  ...(Object.keys(implemented) as ServiceId[]).flatMap((service) =>
    Object.keys(implemented[service] ?? {}).map((op): [ServiceId, string] => [service, op]),
  ),
  ...extra,
].filter(([service, op], i, all) => all.findIndex(([s, o]) => s === service && o === op) === i);

describe("every member survives the trip through the real SDK", () => {
  it("covers every operation the world implements", () => {
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases)("%s %s", async (service, operation) => {
    const op = services[service].operations.get(operation)!;
    const input = sample(NormalizedSchema.of(op[4]() as any), "in") as Record<string, unknown>;
    if (service === "ec2") delete input.DryRun;
    // A unit output (CloudWatch's PutMetricAlarm, ...) reaches the caller as an empty object.
    const output = sample(NormalizedSchema.of(op[5]() as any), "out") ?? {};
    let received: unknown;
    const operations = { ecs: {}, ecr: {}, elbv2: {}, ec2: {}, cloudwatch: {} } as Required<Operations>;
    operations[service][operation] = (parsed) => {
      received = parsed;
      return output;
    };
    const sim = createSimulator({ world: { operations, snapshot: () => ({}) } });
    const client = new modules[service][clientNames[service]]({
      region: "us-east-1",
      endpoint: SIM_ENDPOINT,
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
      requestHandler: sim.requestHandler,
      maxAttempts: 1,
    });
    const { $metadata, ...parsed } = await client.send(new modules[service][`${operation}Command`](input));
    expect($metadata.httpStatusCode).toBe(200);
    expect(received).toEqual(input);
    expect(parsed).toEqual(output);
  });
});
