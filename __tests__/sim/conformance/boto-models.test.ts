/**
 * botocore, an independent model-driven client, against every operation the world implements: its requests
 * (filled from botocore's own model) must parse, and the simulator's full-schema responses must come back with
 * every member botocore's (possibly older) model knows, typed.
 */
import { readFileSync } from "node:fs";
import { NormalizedSchema } from "@smithy/core/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../src/sim/clock.js";
import { services } from "../../../src/sim/models.js";
import { loadWorldJson } from "../../../src/sim/serve.js";
import { createSimulator } from "../../../src/sim/simulator.js";
import { type SimServer, startHttpServer } from "../../../src/sim/transport/http.js";
import type { Operations, ServiceId } from "../../../src/sim/types.js";
import { type SampleValues, schemaSample } from "../schema-sample.js";
import { botoSamples, hasBoto3, shapeOf } from "./tools.js";

const note = hasBoto3 ? "" : " (skipped: python3 with boto3 is not installed)";
const demo = JSON.parse(readFileSync(new URL("../../../deploy-example/world.json", import.meta.url), "utf8"));
const implemented = loadWorldJson(demo, "demo", new VirtualClock()).operations;
const cases = (Object.keys(implemented) as ServiceId[]).flatMap((service) =>
  Object.keys(implemented[service] ?? {}).map((op) => ({ service, op })),
);
const botoName: Record<ServiceId, string> = {
  ecs: "ecs",
  ecr: "ecr",
  elbv2: "elbv2",
  ec2: "ec2",
  cloudwatch: "cloudwatch",
};

/** One of everything; Dates and bytes are tagged the way the boto3 script reports them (asBoto). */
const BOTO_VALUES: SampleValues = {
  count: 1,
  date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  blob: new Uint8Array([1, 2]),
  text: (member) => `${member}-x`,
};
const sample = (ns: NormalizedSchema, name: string) => schemaSample(ns, BOTO_VALUES, name);

/** What boto3 would report for a sample: Date → datetime, bytes → bytes. */
const asBoto = (v: unknown): unknown =>
  v instanceof Date
    ? { $type: "datetime", value: "" }
    : v instanceof Uint8Array
      ? { $type: "bytes", value: "" }
      : Array.isArray(v)
        ? v.map(asBoto)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asBoto(x)]))
          : v;

describe.skipIf(!hasBoto3)(`boto3 on every implemented operation${note}`, { timeout: 90_000 }, () => {
  let server: SimServer;
  const received = new Map<string, unknown>();
  const expected = new Map<string, unknown>();
  beforeAll(async () => {
    const operations = { ecs: {}, ecr: {}, elbv2: {}, ec2: {}, cloudwatch: {} } as Required<Operations>;
    for (const { service, op } of cases) {
      const schema = services[service].operations.get(op)!;
      // A unit output (CloudWatch's PutMetricAlarm, ...) reaches the caller as an empty dict.
      const output = sample(NormalizedSchema.of(schema[5]() as any), "out") ?? {};
      expected.set(`${service}.${op}`, output);
      operations[service][op] = (input) => {
        received.set(`${service}.${op}`, input);
        return output;
      };
    }
    server = await startHttpServer(createSimulator({ world: { operations, snapshot: () => ({}) } }), { port: 0 });
  });
  afterAll(() => server?.close());

  it("parses botocore's requests and returns responses botocore reads back in full", async () => {
    const out = await botoSamples(
      server.url,
      cases.map(({ service, op }) => ({ service: botoName[service], op })),
    );
    const problems: string[] = [];
    let compared = 0;
    for (const [i, { service, op }] of cases.entries()) {
      const key = `${service}.${op}`;
      const o = out[i] as { result?: unknown; error?: unknown; modelPaths?: string[] };
      if (!o.result) {
        problems.push(`${key}: ${JSON.stringify(o.error)}`);
        continue;
      }
      if (!received.has(key)) problems.push(`${key}: the handler never ran`);
      const known = new Set(o.modelPaths);
      const want = shapeOf(asBoto(expected.get(key)));
      const got = shapeOf(o.result);
      for (const [path, type] of want) {
        if (path !== "" && !known.has(path)) continue; // newer than this botocore's model
        compared++;
        if (got.get(path) !== type)
          problems.push(`${key} ${path}: ${type} expected, boto3 got ${got.get(path) ?? "nothing"}`);
      }
    }
    expect(problems).toEqual([]);
    expect(cases.length).toBeGreaterThan(40);
    expect(compared).toBeGreaterThan(cases.length * 10);
  });
});
