/**
 * Fault injection, deterministic for a given seed and call order. Rules use the same JSON form in the world
 * file's `faults` field and in `POST /_sim/faults`:
 *
 *   { "service": "ecs", "operation": "DescribeTasks", "effect": "throttle", "count": 2 }
 *   { "service": "elbv2", "effect": "serverError", "rate": 0.1 }
 *   { "effect": "latency", "latencyMs": 1500 }
 *   { "service": "ecs", "operation": "UpdateService", "effect": "error",
 *     "code": "ServiceNotActiveException", "message": "Service was not ACTIVE.", "status": 400 }
 *
 * - `service` ("ecs" | "ecr" | "elbv2" | "ec2" | "cloudwatch") and `operation` (API name) narrow the rule; omitted = all.
 * - `effect`: `throttle` (the service's own code: ECS/ECR 400 ThrottlingException, ELBv2 400 Throttling,
 *   EC2 503 RequestLimitExceeded), `serverError` (500), `unavailable` (503), `latency` (adds `latencyMs` of
 *   simulated time, then the call proceeds), `drop` (the connection is cut: no response), `error` (`code`,
 *   `message`, `status`, default 400).
 * - Trigger: `after` skips the first N matching calls; `count` applies to at most N calls; `rate` applies with
 *   that probability (0..1), rolled from the seed. Without `count` or `rate` the rule applies to every match.
 * Faults are decided before the operation runs, so a faulted mutating call changes nothing.
 */
import type { ServiceId } from "./types.js";

export const faultEffects = ["throttle", "serverError", "unavailable", "latency", "drop", "error"] as const;
export type FaultEffect = (typeof faultEffects)[number];

export interface FaultRule {
  service?: ServiceId;
  operation?: string;
  effect: FaultEffect;
  rate?: number;
  count?: number;
  after?: number;
  latencyMs?: number;
  code?: string;
  message?: string;
  status?: number;
}

/** What the plan decided for one call: latency to spend first, then at most one failing effect. */
export interface FaultDecision {
  latencyMs: number;
  failure?: FaultRule;
}

const ruleKeys = new Set([
  "service",
  "operation",
  "effect",
  "rate",
  "count",
  "after",
  "latencyMs",
  "code",
  "message",
  "status",
]);
const services = new Set(["ecs", "ecr", "elbv2", "ec2", "cloudwatch"]);

/** Validates fault rules from JSON; errors name the source and the JSON path. */
export function parseFaultRules(value: unknown, source = "faults"): FaultRule[] {
  if (!Array.isArray(value)) throw new Error(`${source}: must be a list of fault rules`);
  return value.map((raw, i) => {
    const at = `${source}[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${at}: must be an object`);
    const r = raw as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!ruleKeys.has(key)) throw new Error(`${at}.${key}: unknown key (allowed: ${[...ruleKeys].join(", ")})`);
    }
    if (!faultEffects.includes(r.effect as FaultEffect)) {
      throw new Error(`${at}.effect: must be one of ${faultEffects.join(", ")}, got ${JSON.stringify(r.effect)}`);
    }
    if (r.service !== undefined && !services.has(r.service as string)) {
      throw new Error(
        `${at}.service: must be one of ecs, ecr, elbv2, ec2, cloudwatch, got ${JSON.stringify(r.service)}`,
      );
    }
    for (const key of ["operation", "code", "message"]) {
      if (r[key] !== undefined && typeof r[key] !== "string") throw new Error(`${at}.${key}: must be a string`);
    }
    for (const key of ["count", "after", "latencyMs", "status"]) {
      const v = r[key];
      if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 0)) {
        throw new Error(`${at}.${key}: must be a whole number >= 0, got ${JSON.stringify(v)}`);
      }
    }
    if (r.rate !== undefined && (typeof r.rate !== "number" || r.rate < 0 || r.rate > 1)) {
      throw new Error(`${at}.rate: must be a number from 0 to 1, got ${JSON.stringify(r.rate)}`);
    }
    if (r.effect === "latency" && r.latencyMs === undefined) throw new Error(`${at}.latencyMs: required for latency`);
    if (r.effect === "error" && r.code === undefined) throw new Error(`${at}.code: required for error`);
    return r as unknown as FaultRule;
  });
}

/** mulberry32: a tiny seeded generator; one stream per rule so rules do not disturb each other. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  applied: number;
  roll: () => number;
}

export class FaultPlan {
  private active: ActiveRule[] = [];
  private added = 0;

  constructor(readonly seed = 1) {}

  get rules(): FaultRule[] {
    return this.active.map((a) => a.rule);
  }

  add(rules: FaultRule[]): void {
    for (const rule of rules) {
      this.active.push({ rule, seen: 0, applied: 0, roll: random(this.seed * 7919 + this.added++) });
    }
  }

  replace(rules: FaultRule[]): void {
    this.clear();
    this.add(rules);
  }

  clear(): void {
    this.active = [];
    this.added = 0;
  }

  decide(service: ServiceId, operation: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const a of this.active) {
      const { rule } = a;
      if ((rule.service && rule.service !== service) || (rule.operation && rule.operation !== operation)) continue;
      if (decision.failure && rule.effect !== "latency") continue;
      a.seen++;
      if (a.seen <= (rule.after ?? 0)) continue;
      if (rule.count !== undefined && a.applied >= rule.count) continue;
      if (rule.rate !== undefined && a.roll() >= rule.rate) continue;
      a.applied++;
      if (rule.effect === "latency") decision.latencyMs += rule.latencyMs ?? 0;
      else decision.failure = rule;
    }
    return decision;
  }
}
