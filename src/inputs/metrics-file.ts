/**
 * The canary-metrics file (YAML, of which JSON is a subset): metric checks in argo-rollouts style, each a
 * CloudWatch GetMetricData query with its conditions, interval and failure limit. Every problem is reported with
 * the file, the path in it (`metrics[0].interval`), its line and the fix, before anything is sent to AWS.
 */
import type { MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { LineCounter, parseDocument } from "yaml";
import { CONDITION_FORM, type Condition, parseCondition } from "../engine/metric-condition.js";
import type { MetricCheck } from "../engine/metric-verdict.js";
import { parseDuration } from "../shared/duration.js";
import { inert } from "../shared/inert.js";
import { readRegularFile } from "./read-file.js";
import { InputError } from "./validate.js";
import { workspaceEscape } from "./workspace.js";

export const METRICS_EXAMPLE = `metrics:
  - name: 5xx rate
    interval: 1m
    failure-limit: 1
    failure-condition: result > 0.01
    queries:
      - Id: rate
        MetricStat:
          Metric: { Namespace: web, MetricName: ErrorRate, Dimensions: [{ Name: Version, Value: v2 }] }
          Period: 60
          Stat: Average`;

const CHECK_KEYS = ["name", "interval", "failure-limit", "failure-condition", "success-condition", "queries"];
const QUERY_KEYS = ["Id", "Expression", "MetricStat", "Label", "ReturnData", "Period", "AccountId"];
const STAT_KEYS = ["Metric", "Period", "Stat", "Unit"];
const METRIC_KEYS = ["Namespace", "MetricName", "Dimensions"];
const MAX_CHECKS = 20;
const MAX_BYTES = 256 * 1024;
const NAME = /^[^\p{Cc}]{1,100}$/u;
/** CloudWatch's own rule for a query's Id. */
const QUERY_ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;

type Problem = { path: string; problem: string; fix: string };
type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const shown = (v: unknown) => inert(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)));

/** Parses the file's text; throws an InputError listing every problem. */
export function parseMetricsFile(text: string, file: string, label: string): MetricCheck[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const fail = (problems: Problem[]): never => {
    const where = (p: Problem) => {
      const keys = p.path.match(/[^.[\]]+/g) ?? [];
      const node = keys.length
        ? doc.getIn(
            keys.map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
            true,
          )
        : undefined;
      const range = (node as { range?: [number] } | undefined)?.range;
      return range ? ` (line ${lines.linePos(range[0]).line})` : "";
    };
    const list = problems.map((p) => `- ${p.path || "the file"}${where(p)}: ${p.problem}. Fix: ${p.fix}`).join("\n");
    throw new InputError(`${label} names '${inert(file)}', which is not a usable metric-check file:\n${list}`);
  };
  if (doc.errors.length > 0) {
    fail(
      doc.errors.map((e) => ({
        path: `line ${e.linePos?.[0]?.line ?? 1}`,
        problem: `it is not valid YAML or JSON (${inert(e.message.split("\n")[0] ?? "")})`,
        fix: `correct the syntax; the expected form is:\n${METRICS_EXAMPLE}`,
      })),
    );
  }
  const root: unknown = doc.toJS();
  const problems: Problem[] = [];
  if (!isObject(root) || !Array.isArray(root.metrics)) {
    fail([{ path: "metrics", problem: "the file has no 'metrics' list", fix: `write:\n${METRICS_EXAMPLE}` }]);
  }
  const r = root as Obj;
  unknownKeys(r, ["metrics"], "", problems);
  const entries = r.metrics as unknown[];
  if (entries.length === 0 || entries.length > MAX_CHECKS)
    problems.push({ path: "metrics", problem: `it holds ${entries.length} checks`, fix: `list 1 to ${MAX_CHECKS}` });
  const checks = entries.map((entry, i) => checkOf(entry, `metrics[${i}]`, problems));
  const names = checks.map((c) => c?.name).filter(Boolean);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      problems.push({
        path: "metrics",
        problem: `two checks are named '${inert(n ?? "")}'`,
        fix: "name each check once",
      });
  });
  if (problems.length > 0) fail(problems);
  return checks as MetricCheck[];
}

function unknownKeys(o: Obj, known: string[], path: string, problems: Problem[]): void {
  for (const key of Object.keys(o))
    if (!known.includes(key))
      problems.push({
        path: `${path}${path ? "." : ""}${inert(key)}`,
        problem: "unknown key",
        fix: `use only ${known.join(", ")}`,
      });
}

function checkOf(entry: unknown, path: string, problems: Problem[]): MetricCheck | undefined {
  const at = problems.length;
  if (!isObject(entry)) {
    problems.push({ path, problem: "a check is not a mapping", fix: `write each check as keys:\n${METRICS_EXAMPLE}` });
    return undefined;
  }
  unknownKeys(entry, CHECK_KEYS, path, problems);
  const { name, interval } = entry;
  if (typeof name !== "string" || !NAME.test(name))
    problems.push({
      path: `${path}.name`,
      problem: `got ${shown(name)}`,
      fix: "name the check in 1 to 100 characters, one line",
    });
  const intervalMs =
    typeof interval === "string" || typeof interval === "number" ? parseDuration(String(interval)) : undefined;
  if (intervalMs === undefined || intervalMs < 1000)
    problems.push({
      path: `${path}.interval`,
      problem: `got ${shown(interval)}`,
      fix: "give a duration of at least 1s, like 30s or 1m",
    });
  const limit = entry["failure-limit"] ?? 0;
  if (!Number.isSafeInteger(limit) || (limit as number) < 0)
    problems.push({
      path: `${path}.failure-limit`,
      problem: `got ${shown(limit)}`,
      fix: "give a whole number from 0 (failures tolerated)",
    });
  const condition = (key: string): Condition | undefined => {
    const value = entry[key];
    if (value === undefined) return undefined;
    const parsed = typeof value === "string" ? parseCondition(value) : { error: `got ${shown(value)}` };
    if ("error" in parsed)
      problems.push({ path: `${path}.${key}`, problem: inert(parsed.error), fix: `write ${CONDITION_FORM}` });
    return "error" in parsed ? undefined : parsed;
  };
  const failureCondition = condition("failure-condition");
  const successCondition = condition("success-condition");
  if (entry["failure-condition"] === undefined && entry["success-condition"] === undefined)
    problems.push({
      path,
      problem: "it has no condition",
      fix: "add failure-condition (like result > 0.01), success-condition, or both",
    });
  const queries = queriesOf(entry.queries, `${path}.queries`, problems);
  if (problems.length > at) return undefined;
  return {
    name: name as string,
    queries,
    intervalMs: intervalMs as number,
    failureLimit: limit as number,
    ...(failureCondition ? { failureCondition } : {}),
    ...(successCondition ? { successCondition } : {}),
  };
}

function queriesOf(value: unknown, path: string, problems: Problem[]): MetricDataQuery[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 100) {
    problems.push({
      path,
      problem: "it is not a list of 1 to 100 queries",
      fix: "list GetMetricData's MetricDataQueries (Id, MetricStat or Expression)",
    });
    return [];
  }
  for (const [i, q] of value.entries()) queryProblems(q, `${path}[${i}]`, problems);
  const returning = value.filter((q) => isObject(q) && q.ReturnData !== false);
  if (returning.length !== 1)
    problems.push({
      path,
      problem: `${returning.length} queries return data`,
      fix: "set ReturnData: false on all but the one whose value is `result`",
    });
  return value as MetricDataQuery[];
}

function queryProblems(q: unknown, path: string, problems: Problem[]): void {
  if (!isObject(q)) {
    problems.push({ path, problem: "a query is not a mapping", fix: "write Id and MetricStat or Expression" });
    return;
  }
  unknownKeys(q, QUERY_KEYS, path, problems);
  if (typeof q.Id !== "string" || !QUERY_ID.test(q.Id))
    problems.push({
      path: `${path}.Id`,
      problem: `got ${shown(q.Id)}`,
      fix: "start with a lowercase letter; letters, digits and _ only",
    });
  if ((q.Expression === undefined) === (q.MetricStat === undefined))
    problems.push({
      path,
      problem: "it needs exactly one of MetricStat and Expression",
      fix: "give a metric (MetricStat) or metric math (Expression)",
    });
  if (q.Expression !== undefined && (typeof q.Expression !== "string" || q.Expression.trim() === ""))
    problems.push({
      path: `${path}.Expression`,
      problem: `got ${shown(q.Expression)}`,
      fix: "write metric math, like errors / requests",
    });
  if (q.ReturnData !== undefined && typeof q.ReturnData !== "boolean")
    problems.push({ path: `${path}.ReturnData`, problem: `got ${shown(q.ReturnData)}`, fix: "write true or false" });
  for (const key of ["Label", "AccountId"] as const)
    if (q[key] !== undefined && typeof q[key] !== "string")
      problems.push({ path: `${path}.${key}`, problem: `got ${shown(q[key])}`, fix: "write a text" });
  if (q.Period !== undefined && !positiveInteger(q.Period))
    problems.push({ path: `${path}.Period`, problem: `got ${shown(q.Period)}`, fix: "give seconds, like 60" });
  if (q.MetricStat !== undefined) statProblems(q.MetricStat, `${path}.MetricStat`, problems);
}

const positiveInteger = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;

function statProblems(s: unknown, path: string, problems: Problem[]): void {
  if (!isObject(s)) {
    problems.push({ path, problem: "it is not a mapping", fix: "write Metric, Period and Stat" });
    return;
  }
  unknownKeys(s, STAT_KEYS, path, problems);
  if (!positiveInteger(s.Period))
    problems.push({ path: `${path}.Period`, problem: `got ${shown(s.Period)}`, fix: "give seconds, like 60" });
  if (typeof s.Stat !== "string" || s.Stat === "")
    problems.push({
      path: `${path}.Stat`,
      problem: `got ${shown(s.Stat)}`,
      fix: "name a statistic: Average, Sum, Maximum, Minimum, SampleCount or p99",
    });
  const m = s.Metric;
  if (!isObject(m)) {
    problems.push({
      path: `${path}.Metric`,
      problem: "it is missing",
      fix: "give Namespace, MetricName and Dimensions",
    });
    return;
  }
  unknownKeys(m, METRIC_KEYS, `${path}.Metric`, problems);
  for (const key of ["Namespace", "MetricName"] as const)
    if (typeof m[key] !== "string" || m[key] === "")
      problems.push({ path: `${path}.Metric.${key}`, problem: `got ${shown(m[key])}`, fix: "write a text" });
  const dims = m.Dimensions ?? [];
  if (
    !Array.isArray(dims) ||
    dims.some((d) => !isObject(d) || typeof d.Name !== "string" || typeof d.Value !== "string")
  )
    problems.push({
      path: `${path}.Metric.Dimensions`,
      problem: "it is not a list of Name/Value pairs",
      fix: "write [{ Name: TargetGroup, Value: targetgroup/web/… }]",
    });
}

const WHY: Record<string, string> = {
  missing: "it does not exist",
  folder: "it is a folder",
  "not-regular": "it is not a regular file (a FIFO, device or socket)",
  "too-large": "it is over 256 KiB",
};

/** Reads the file: inside the workspace when one is known (links resolved first), a regular file, at most 256 KiB. */
export function readMetricsFile(path: string, label: string, options: { workspace?: string } = {}): MetricCheck[] {
  const refuse = (why: string): never => {
    throw new InputError(
      `${label} names '${inert(path)}', which cannot be read: ${why}. Fix: name a metric-check file of the repository`,
    );
  };
  const leaves = options.workspace === undefined ? undefined : workspaceEscape(options.workspace, path);
  if (leaves === "outside") refuse("it is outside the workspace");
  if (leaves === "link") refuse("it is a link that leads outside the workspace, so it was not read");
  const read = readRegularFile(path, MAX_BYTES);
  if (!read.ok) return refuse(read.why === "unreadable" ? read.code : (WHY[read.why] ?? read.why));
  return parseMetricsFile(read.bytes.toString("utf8"), path, label);
}
