/**
 * The audit's CPU floor for the benchmark's world, in a process of its own:
 *   node --expose-gc audit-floor.mjs SERVICES FINDINGS
 * Every findings page the audit reads is made once by the simulator (not timed), then timed twice: JSON.parse of
 * its bytes, and the SDK's whole handling of it (a DescribeImageScanFindings sent to a transport that answers
 * with those bytes at once), after one untimed warm-up. A full GC before each page keeps the simulator's garbage
 * out of the timings. Prints one JSON line of sums.
 */
import { DescribeImageScanFindingsCommand, ECRClient } from "@aws-sdk/client-ecr";
import type { HttpResponse } from "@smithy/types";
import { createSimulator, type WorldLike } from "../src/sim/simulator.js";
import { CONTAINERS, scaleWorld, serviceName } from "./audit-world.js";

const services = Number(process.argv[2] ?? "1");
const sim = createSimulator({
  world: (clock) => scaleWorld(services).build(clock, "audit-floor") as unknown as WorldLike,
});
let body = new Uint8Array();
const ecr = new ECRClient({
  region: "us-east-1",
  endpoint: "http://floor.local",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
  requestHandler: {
    handle: async () => ({
      response: {
        statusCode: 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body,
      } as HttpResponse,
    }),
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  },
});
const encoder = new TextEncoder();
const collect = (globalThis as { gc?: () => void }).gc;
const headers = {
  "content-type": "application/x-amz-json-1.1",
  "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.DescribeImageScanFindings",
  authorization: "AWS4-HMAC-SHA256 Credential=test/20261125/us-east-1/ecr/aws4_request",
};
const sums = { pages: 0, bytes: 0, parse: 0, sdk: 0 };
for (let i = 0; i < services; i += 1) {
  for (const repositoryName of CONTAINERS) {
    let nextToken: string | undefined;
    do {
      const input = { repositoryName, imageId: { imageTag: serviceName(i) }, maxResults: 1000, nextToken };
      const res = await sim.dispatch({ method: "POST", path: "/", headers, body: JSON.stringify(input) });
      body = encoder.encode(res.body);
      if (sums.pages === 0) await ecr.send(new DescribeImageScanFindingsCommand(input));
      collect?.();
      let t = performance.now();
      const parsed = JSON.parse(res.body) as { nextToken?: string };
      sums.parse += performance.now() - t;
      t = performance.now();
      await ecr.send(new DescribeImageScanFindingsCommand(input));
      sums.sdk += performance.now() - t;
      sums.pages += 1;
      sums.bytes += body.byteLength;
      nextToken = parsed.nextToken;
    } while (nextToken);
  }
}
process.stdout.write(`${JSON.stringify(sums)}\n`);
