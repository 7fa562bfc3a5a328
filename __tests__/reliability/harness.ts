/**
 * A reliability scenario: the demo world in the simulator, with every event stamped with how many AWS calls the
 * journal held when it was emitted, so the invariants can order events against calls.
 */
import type { HttpRequest } from "@smithy/types";
import { CleanupTracker } from "../../src/action/cleanup-state.js";
import { runPost } from "../../src/action/post.js";
import type { AwsPorts } from "../../src/aws/ports.js";
import type { CageEvent } from "../../src/engine/events.js";
import { rollout } from "../../src/engine/rollout.js";
import type { CommandResult, EngineDeps } from "../../src/engine/settings.js";
import type { CallRecord } from "../../src/sim/journal.js";
import { runStep } from "../action/harness.js";
import { rolloutSettings, type Scenario, scenario } from "../engine/scenarios/world.js";

export interface Stamped {
  event: CageEvent;
  /** Journal length when the event was emitted. */
  calls: number;
}

export interface Run extends Scenario {
  stamped: Stamped[];
  /** The web service as it was before the command, for invariant 2. */
  before?: ServiceSnapshot;
}

export type ServiceSnapshot = Record<string, unknown>;

export function run(...args: Parameters<typeof scenario>): Run {
  return stamp(scenario(...args));
}

/** The scenario with its events stamped with the journal's length, as `run` gives it. */
export function stamp(scenario: Scenario): Run {
  const s = scenario as Run;
  s.stamped = [];
  const sink = s.deps.events;
  s.deps = {
    ...s.deps,
    events: (event) => {
      s.stamped.push({ event, calls: s.sim.journal.calls().length });
      sink(event);
    },
  };
  return s;
}

/** Aborts the command the first time an event matches, as SIGTERM from a canceled job would. */
export function cancelWhen(s: Scenario, matches: (event: CageEvent) => boolean): void {
  const controller = new AbortController();
  const sink = s.deps.events;
  s.deps = {
    ...s.deps,
    signal: controller.signal,
    events: (event) => {
      sink(event);
      if (!controller.signal.aborted && matches(event)) controller.abort(new Error("SIGTERM"));
    },
  };
}

export interface InFlight {
  /** When the signal was aborted, and how many calls the journal held then (the call in flight is not among them). */
  abortedAt?: { time: number; calls: number };
}

/** How the call canceled in flight ends: after injected latency, or taking effect with its answer lost on the way. */
export type InFlightEnd = { latencyMs: number } | { lost: true };

/**
 * Aborts the command the moment its first `operation` request reaches the simulator, which holds it for `latencyMs`
 * of injected latency (or runs it and then cuts the connection): the cancel comes while that call is in flight, not
 * between calls.
 */
export function cancelInFlight(s: Run, operation: string, end: InFlightEnd): InFlight {
  const controller = new AbortController();
  const seen: InFlight = {};
  const inner = s.sim.requestHandler;
  const handler = {
    ...inner,
    handle(request: HttpRequest, options?: { abortSignal?: AbortSignal }) {
      const target = `${request.headers["x-amz-target"] ?? ""} ${typeof request.body === "string" ? request.body : ""}`;
      const answer = inner.handle(request, options as never);
      if (controller.signal.aborted || !new RegExp(`[.=]${operation}\\b`).test(target)) return answer;
      seen.abortedAt = { time: s.sim.clock.now(), calls: s.sim.journal.calls().length };
      controller.abort(new Error("SIGINT"));
      if (!("lost" in end)) return answer;
      return answer.then(() => {
        throw Object.assign(new Error("socket hang up (answer lost after the call took effect)"), {
          code: "ECONNRESET",
        });
      });
    },
  };
  if ("latencyMs" in end) s.sim.faults.add([{ operation, effect: "latency", latencyMs: end.latencyMs, count: 1 }]);
  s.deps = {
    ...s.deps,
    signal: controller.signal,
    aws: s.sim.ports("us-east-1", { maxAttempts: 1, requestHandler: handler as typeof inner }),
  };
  return seen;
}

/**
 * The action's two steps around a command: the main step's state is saved from its events and result as the action
 * saves it; `post()` then runs the post step with that state, as the runner would.
 */
export function withPostStep(s: Run, target: { cluster: string; service: string; runId: string }) {
  const state: Record<string, string> = {};
  const tracker = new CleanupTracker({ region: "us-east-1", ...target }, (name, value) => {
    state[name] = value;
  });
  const sink = s.deps.events;
  s.deps = {
    ...s.deps,
    events: (event) => {
      sink(event);
      tracker.track(event);
    },
  };
  return {
    state,
    post: async (result: CommandResult) => {
      tracker.concluded(result);
      const aws = (pending: { region: string }) => s.sim.ports(pending.region, { maxAttempts: 1 });
      return runStep(() => runPost({ aws, clock: s.sim.clock }), {}, { state: { ...state } });
    },
  };
}

/** Fields of a service that only ECS changes (counts, events, deployments' progress); everything else is the user's. */
const VOLATILE = new Set(["events", "deployments", "runningCount", "pendingCount", "taskSets", "createdAt"]);

/**
 * The service's user-controlled fields. Taken before the command, then the journal is cleared so it holds only
 * the command's calls.
 */
export async function snapshotService(s: Run, cluster = "production", service = "web"): Promise<ServiceSnapshot> {
  const out = await s.sim.ports("us-east-1", { maxAttempts: 1 }).ecs.describeServices({ cluster, services: [service] });
  const svc = (out.services?.[0] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(svc).filter(([key]) => !VOLATILE.has(key)));
}

/** Operations answered with 200, by name. */
export function succeeded(s: Run, operation: string): CallRecord[] {
  return s.sim.journal.calls({ operation }).filter((c) => c.status === 200);
}

export type Command = (deps: EngineDeps) => Promise<CommandResult>;

/** Ports that stop answering for good once `dead()` is true: the process was killed. */
export function killable(aws: AwsPorts, dead: () => boolean): AwsPorts {
  const never = new Promise<never>(() => {});
  const wrap = <T extends object>(port: T): T =>
    new Proxy(port, {
      get(target, key) {
        const fn = (target as Record<string | symbol, unknown>)[key];
        if (typeof fn !== "function") return fn;
        return (...a: unknown[]) => (dead() ? never : (fn as (...x: unknown[]) => Promise<unknown>)(...a));
      },
    });
  return {
    ecs: wrap(aws.ecs),
    elbv2: wrap(aws.elbv2),
    ec2: wrap(aws.ec2),
    ...(aws.cloudwatch ? { cloudwatch: wrap(aws.cloudwatch) } : {}),
    ecrIn: (r) => wrap(aws.ecrIn(r)),
  };
}

/** Runs the main step until the phase starts, then kills it; returns the events it had recorded. */
export async function killAt(s: Run, at: string): Promise<CageEvent[]> {
  let dead = false;
  const recorded: CageEvent[] = [];
  const main = rollout(rolloutSettings(), {
    ...s.deps,
    aws: killable(s.deps.aws, () => dead),
    events: (e) => {
      if (dead) return;
      s.deps.events(e);
      recorded.push(e);
      if (e.type === "phase-started" && e.phase === at) dead = true;
    },
  });
  void main;
  // The killed process's last call may still be on the wire; let the simulated world go on without it.
  while (!dead) await s.sim.clock.sleep(1_000);
  await s.sim.clock.sleep(5_000);
  return recorded;
}

/**
 * Lets `count` calls of `operation` (after the first `after`) reach the simulator, then cuts the connection before
 * the answer. Returns how many answers it has lost so far.
 */
export function loseResponses(s: Run, operation: string, count: number, maxAttempts: number, after = 0): () => number {
  const inner = s.sim.requestHandler;
  let left = count;
  let skip = after;
  const handler = {
    ...inner,
    async handle(request: HttpRequest) {
      const out = await inner.handle(request);
      const target = `${request.headers["x-amz-target"] ?? ""} ${typeof request.body === "string" ? request.body : ""}`;
      if (left > 0 && new RegExp(`[.=]${operation}\\b`).test(target) && skip-- <= 0) {
        left--;
        throw Object.assign(new Error("socket hang up (answer lost after the call took effect)"), {
          code: "ECONNRESET",
        });
      }
      return out;
    },
  };
  s.deps = { ...s.deps, aws: s.sim.ports("us-east-1", { maxAttempts, requestHandler: handler }) };
  return () => count - left;
}
