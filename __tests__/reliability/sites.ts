/**
 * Where a fault can be injected: the first and the last call of each AWS operation in each phase it is called in,
 * from a clean run's journal and events. Phases overlap (the canary's cleanup runs alongside the service update and the
 * deployment), so a call's phase is every phase open when it was made.
 */
import type { FaultRule } from "../../src/sim/faults.js";
import type { CallRecord } from "../../src/sim/journal.js";
import type { ServiceId } from "../../src/sim/types.js";
import type { Stamped } from "./harness.js";

export interface Site {
  service: ServiceId;
  operation: string;
  /** Calls of the operation before this one. */
  after: number;
  phase: string;
}

export const EFFECTS: Record<string, Omit<FaultRule, "service" | "operation">> = {
  "throttling burst": { effect: "throttle", count: 3 },
  "500 x2": { effect: "serverError", count: 2 },
  "503 x2": { effect: "unavailable", count: 2 },
  "dropped connection": { effect: "drop", count: 1 },
  "5 s latency": { effect: "latency", latencyMs: 5000, count: 1 },
};

/** The phases open when the journal held `seq - 1` calls; between phases, the one that just ended. */
export function phaseAt(stamped: readonly Stamped[], seq: number): string {
  const open: string[] = [];
  let last = "start";
  for (const { event, calls } of stamped) {
    if (calls >= seq) break;
    if (event.type === "phase-started") open.push(event.phase);
    if (event.type === "phase-finished") {
      const at = open.lastIndexOf(event.phase);
      if (at >= 0) open.splice(at, 1);
      last = `after ${event.phase}`;
    }
  }
  return open.length > 0 ? [...open].sort().join(" + ") : last;
}

/** The first and the last call of each operation in each phase. */
export function sitesOf(calls: readonly CallRecord[], stamped: readonly Stamped[]): Site[] {
  const count = new Map<string, number>();
  const byKey = new Map<string, Site[]>();
  for (const c of calls) {
    if (c.service === "unknown") continue;
    const after = count.get(c.operation) ?? 0;
    count.set(c.operation, after + 1);
    const site = { service: c.service, operation: c.operation, after, phase: phaseAt(stamped, c.seq) };
    const key = `${site.operation}@${site.phase}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, [site]);
    else seen[1] = site;
  }
  return [...byKey.values()].flat();
}

/** Every site × every fault. */
export function faultMatrix<T extends Site>(sites: readonly T[]) {
  return sites.flatMap((site) => Object.entries(EFFECTS).map(([fault, rule]) => ({ ...site, fault, rule })));
}
