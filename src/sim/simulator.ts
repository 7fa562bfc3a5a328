/**
 * The simulator in one object, for engine tests:
 *
 *   const sim = createSimulator({ world: (clock) => World.fromJson(json, "demo.json", clock), seed: 7 });
 *   const ports = sim.ports("us-east-1");          // real SDK clients, in-process transport, no sockets
 *   await run(settings, ports, sim.clock, events);   // the clock auto-advances while everyone waits
 *   expect(sim.journal.mutations()).toEqual([]);
 *
 * - `world`: the current world (`replaceWorld` swaps it); `clock`: a VirtualClock unless one is given.
 * - `dispatch(req)`: the transport-free entry; `requestHandler`: the SDK transport over it.
 * - `journal`: every call; `faults`: add or clear fault rules (the world's own `faults` are loaded first).
 */
import { type AwsSettings, createAwsPorts } from "../aws/clients.js";
import type { AwsPorts } from "../aws/ports.js";
import { type SimClock, VirtualClock } from "./clock.js";
import { type DispatchResult, dispatch, type SimWorld } from "./dispatch.js";
import { FaultPlan, type FaultRule } from "./faults.js";
import { Journal } from "./journal.js";
import type { WireRequest } from "./protocols/index.js";
import { createRequestHandler } from "./transport/inprocess.js";

export type { SimWorld };

/** A world, as `World` from the world module provides it, optionally with faults from its file. */
export type WorldLike = SimWorld & { faults?: FaultRule[] };

export interface SimulatorOptions {
  /** The world, or a function that builds it on the simulator's clock. */
  world: WorldLike | ((clock: SimClock) => WorldLike);
  /** Seeds fault rates (default 1). */
  seed?: number;
  clock?: SimClock;
}

export interface Simulator {
  readonly world: WorldLike;
  readonly clock: SimClock;
  readonly journal: Journal;
  readonly faults: FaultPlan;
  readonly requestHandler: ReturnType<typeof createRequestHandler>;
  dispatch(req: WireRequest): Promise<DispatchResult>;
  /** Ports over real SDK clients talking to this simulator in-process. */
  ports(region?: string, settings?: Partial<AwsSettings>): AwsPorts;
  /** Swaps the world (and its faults); the journal and clock carry on. */
  replaceWorld(world: WorldLike): void;
}

export const SIM_ENDPOINT = "http://sim.local";

export function createSimulator(options: SimulatorOptions): Simulator {
  const clock = options.clock ?? new VirtualClock();
  const journal = new Journal();
  const faults = new FaultPlan(options.seed ?? 1);
  let world = typeof options.world === "function" ? options.world(clock) : options.world;
  faults.add(world.faults ?? []);
  const ctx = { world: () => world, clock, faults, journal };
  const send = (req: WireRequest) => dispatch(ctx, req);
  const requestHandler = createRequestHandler(send);
  return {
    get world() {
      return world;
    },
    clock,
    journal,
    faults,
    requestHandler,
    dispatch: send,
    ports: (region = "us-east-1", settings = {}) =>
      createAwsPorts({
        region,
        requestHandler,
        endpoints: { ecs: SIM_ENDPOINT, ecr: SIM_ENDPOINT, elbv2: SIM_ENDPOINT, ec2: SIM_ENDPOINT },
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        ...settings,
      }),
    replaceWorld(next) {
      world = next;
      faults.replace(next.faults ?? []);
    },
  };
}
