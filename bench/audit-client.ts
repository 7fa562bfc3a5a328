/**
 * One audit over HTTP in a process of its own, so that its memory is the audit's alone:
 *   node --expose-gc audit-client.mjs URL SERVICES CONCURRENCY
 * Prints one JSON line: wall and CPU time, peak heap and maxRSS, the heap and buffers the report holds, rows,
 * findings and a hash of the contents.
 */
import { audit } from "../src/audit/audit.js";
import { createAwsPorts } from "../src/aws/clients.js";
import { systemClock } from "../src/shared/clock.js";
import { contents, scaleSettings } from "./audit-world.js";

const [url = "", services = "1", concurrency = "8"] = process.argv.slice(2);
const aws = createAwsPorts({
  region: "us-east-1",
  endpoints: { ecs: url, ecr: url, elbv2: url, ec2: url },
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 20);
const t = performance.now();
const cpuBefore = process.cpuUsage();
const report = await audit(scaleSettings(Number(services), Number(concurrency)), { aws, clock: systemClock });
const wall = performance.now() - t;
const { user, system } = process.cpuUsage(cpuBefore);
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const maxRss = process.resourceUsage().maxRSS * 1024;
/** Run with --expose-gc: what the finished report itself holds. V8 frees dead buffers' memory after a GC, on a
 * task of its own: a second GC after a pause counts only the buffers still alive. */
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
await new Promise((done) => setTimeout(done, 200));
gc?.();
const { heapUsed: retained, arrayBuffers: retainedBuffers } = process.memoryUsage();
const rows = report.services.flatMap((s) => s.containers);
process.stdout.write(
  `${JSON.stringify({
    wall,
    cpu: (user + system) / 1000,
    peakHeap,
    maxRss,
    retained,
    retainedBuffers,
    rows: rows.length,
    findings: rows.reduce((n, c) => n + c.findings.length, 0),
    contents: contents(report),
  })}\n`,
);
