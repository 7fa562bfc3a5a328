/** Issue 7 item 4 (and issue 3's benchmark): simulator throughput, a 15-minute rollout, DescribeTasks at 1,000 tasks. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { it } from "vitest";
import { createAwsPorts } from "../src/aws/clients.js";
import type { AwsPorts } from "../src/aws/ports.js";
import { rollout } from "../src/engine/rollout.js";
import { CLI_NAMING } from "../src/inputs/naming.js";
import { serve } from "../src/sim/serve.js";
import type { WorldLike } from "../src/sim/simulator.js";
import { World } from "../src/sim/world/index.js";
import { median, ratio, runs, verdict, writeResult } from "./results.js";
import { PASSING, REPO, simulatorFor } from "./worlds.js";

const DEMO = new URL("../deploy-example/world.json", import.meta.url).pathname;
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const CALLS = 300;

/** Requests per second of `call`, sequentially, median over several rounds. */
async function rate(call: () => Promise<unknown>, rounds: number): Promise<number> {
  for (let i = 0; i < 20; i += 1) await call();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const t = performance.now();
    for (let i = 0; i < CALLS; i += 1) await call();
    rates.push(CALLS / ((performance.now() - t) / 1000));
  }
  return median(rates);
}

const describeWeb = (aws: AwsPorts) => () => aws.ecs.describeServices({ cluster: "production", services: ["web"] });

/** A loopback server that answers every request with `{}`: the HTTP floor on this machine. */
async function bareServer() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end('{"services":[]}'));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const httpPorts = (url: string) =>
  createAwsPorts({
    region: "us-east-1",
    endpoints: { ecs: url, ecr: url, elbv2: url, ec2: url },
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });

/** The demo with an app that boots in 6 minutes: a rollout of about 15 simulated minutes. */
const FIFTEEN = {
  ...PASSING[0]!,
  change: (b: Parameters<NonNullable<(typeof PASSING)[number]["change"]>>[0]) =>
    b.image(`${REPO}:v2`, { bootSeconds: 360, healthyAfterSeconds: 60 }),
};

async function fifteenMinuteRollout(rounds: number) {
  const walls: number[] = [];
  let simulated = 0;
  for (let r = 0; r < rounds + 1; r += 1) {
    const sim = simulatorFor(FIFTEEN);
    const start = sim.clock.now();
    const t = performance.now();
    await rollout(FIFTEEN.settings, {
      aws: sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: sim.clock,
      events: () => {},
      naming: CLI_NAMING,
    });
    if (r > 0) walls.push(performance.now() - t);
    simulated = sim.clock.now() - start;
  }
  return { wall: median(walls), simulated };
}

/** DescribeTasks of the web service's 2 tasks, in the demo world and with 1,000 more tasks in the cluster. */
async function describeTasksAt(extra: number, rounds: number): Promise<number> {
  const sim = simulatorFor({
    change: (b) =>
      extra === 0
        ? b
        : b
            .subnet({
              subnetId: "subnet-0bench0000000001",
              vpcId: "vpc-0a1b2c3d4e5f67890",
              availabilityZone: "us-east-1a",
              cidrBlock: "10.0.64.0/18",
            })
            .service({
              cluster: "production",
              serviceName: "many",
              taskDefinition: "web:1",
              desiredCount: extra,
              launchType: "FARGATE",
              subnets: ["subnet-0bench0000000001"],
              securityGroups: ["sg-0123456789abcdef0"],
            }),
  });
  const aws = sim.ports("us-east-1", { maxAttempts: 1 });
  const listed = await aws.ecs.listTasks({ cluster: "production", serviceName: "web" });
  const all = await aws.ecs.listTasks({ cluster: "production", maxResults: 100 });
  if (extra > 0 && (all.taskArns?.length ?? 0) < 100)
    throw new Error("bench: the 1,000-task world did not start its tasks");
  return rate(() => aws.ecs.describeTasks({ cluster: "production", tasks: listed.taskArns ?? [] }), rounds);
}

it("simulator throughput, a 15-minute rollout, DescribeTasks with 1,000 tasks", async () => {
  const rounds = runs(3);
  const inProcess = simulatorFor(PASSING[0]!);
  const inProcessRate = await rate(describeWeb(inProcess.ports("us-east-1", { maxAttempts: 1 })), rounds);

  const bare = await bareServer();
  const bareRate = await rate(describeWeb(httpPorts(bare.url)), rounds);
  await bare.close();
  const running = await serve({
    worldFile: DEMO,
    port: 0,
    loadWorld: (json, source, clock, variant) =>
      World.fromJson(json, source, { clock, ...(variant !== undefined ? { variant } : {}) }) as unknown as WorldLike,
    log: () => {},
  });
  const httpRate = await rate(describeWeb(httpPorts(running.url)), rounds);
  await running.close();

  const fifteen = await fifteenMinuteRollout(rounds);
  const small = await describeTasksAt(0, rounds);
  const large = await describeTasksAt(1000, rounds);

  writeResult("simulator", {
    order: 4,
    section: "Simulator",
    tables: [
      {
        title: "Requests per second (DescribeServices through the AWS SDK, one at a time)",
        about: `Median of ${rounds} rounds of ${CALLS} calls. Over HTTP the baseline is a loopback server that answers \`{}\` at once, called by the same SDK client: the ratio is the simulator's share of an HTTP call.`,
        columns: ["transport", "simulator req/s", "baseline", "baseline req/s", "simulator / baseline"],
        rows: [
          [
            "in-process",
            Math.round(inProcessRate),
            "the same calls over HTTP to the simulator",
            Math.round(httpRate),
            ratio(inProcessRate / httpRate),
          ],
          [
            "HTTP, 127.0.0.1 (`serve()`)",
            Math.round(httpRate),
            "bare loopback server",
            Math.round(bareRate),
            ratio(httpRate / bareRate),
          ],
        ],
      },
      {
        title: "Simulating a long rollout in-process",
        about: `A passing engine rollout of the demo with an app that boots in 6 minutes; median wall time of ${rounds} runs after one warm-up. Target (issue 3): under 200 ms for a 15-minute rollout.`,
        columns: ["simulated time", "wall time", "speed-up", "target", "pass"],
        rows: [
          [
            `${(fifteen.simulated / 60_000).toFixed(1)} min`,
            `${fifteen.wall.toFixed(0)} ms`,
            `${Math.round(fifteen.simulated / fifteen.wall)}×`,
            "< 200 ms",
            verdict(fifteen.wall < 200),
          ],
        ],
      },
      {
        title: "DescribeTasks with 1,000 tasks in the cluster",
        about:
          "DescribeTasks of the web service's 2 tasks, in-process; the baseline is the same call in the demo world with 2 tasks. Target (issue 3): not visibly slower (≤ 1.5×).",
        columns: ["world", "req/s", "baseline req/s (2 tasks)", "slowdown", "≤ 1.5×"],
        rows: [
          ["1,002 tasks", Math.round(large), Math.round(small), ratio(small / large), verdict(small / large <= 1.5)],
        ],
      },
    ],
  });
});
