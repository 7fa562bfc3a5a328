/**
 * The simulator in one object, for engine tests:
 *
 *   const sim = createSimulator({ world: (clock) => World.fromJson(json, "demo.json", { clock }), seed: 7 });
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
import { type DispatchResult, dispatch, requestIds, type SimWorld } from "./dispatch.js";
import { FaultPlan, parseFaultRules } from "./faults.js";
import { type PolicyDocument, parsePolicyDocument } from "./iam.js";
import { Journal } from "./journal.js";
import type { WireRequest } from "./protocols/index.js";
import { RetryHolds } from "./retry-hold.js";
import { createRequestHandler } from "./transport/inprocess.js";

export type { SimWorld };

/**
 * A world, as `World` from the world module provides it. `iamPolicy` and `faults` are the world file's raw
 * fields; they are validated here, and a bad one is rejected with its JSON path.
 */
export type WorldLike = SimWorld & { iamPolicy?: unknown; faults?: unknown };

export interface SimulatorOptions<W extends WorldLike = WorldLike> {
  /** The world, or a function that builds it on the simulator's clock. */
  world: W | ((clock: SimClock) => W);
  /** Seeds fault rates (default 1). */
  seed?: number;
  clock?: SimClock;
}

export interface Simulator<W extends WorldLike = WorldLike> {
  /** The current world, typed as given (e.g. the world module's `World`). */
  readonly world: W;
  readonly clock: SimClock;
  readonly journal: Journal;
  readonly faults: FaultPlan;
  readonly requestHandler: ReturnType<typeof createRequestHandler>;
  dispatch(req: WireRequest): Promise<DispatchResult>;
  /** Ports over real SDK clients talking to this simulator in-process. */
  ports(region?: string, settings?: Partial<AwsSettings>): AwsPorts;
  /** Swaps the world (and its faults); the journal and clock carry on. */
  replaceWorld(world: W): void;
}

export const SIM_ENDPOINT = "http://sim.local";

const policyOf = (w: WorldLike): PolicyDocument | undefined =>
  w.iamPolicy === undefined ? undefined : parsePolicyDocument(w.iamPolicy, "iamPolicy");
const faultsOf = (w: WorldLike) => (w.faults === undefined ? [] : parseFaultRules(w.faults, "faults"));

export function createSimulator<W extends WorldLike>(options: SimulatorOptions<W>): Simulator<W> {
  const clock = options.clock ?? new VirtualClock();
  const journal = new Journal();
  const faults = new FaultPlan(options.seed ?? 1);
  let world = typeof options.world === "function" ? options.world(clock) : options.world;
  let policy = policyOf(world);
  faults.add(faultsOf(world));
  const retries = new RetryHolds(clock);
  const ctx = {
    world: () => world,
    policy: () => policy,
    clock,
    faults,
    journal,
    retries,
    nextRequestId: requestIds(),
  };
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
        endpoints: {
          ecs: SIM_ENDPOINT,
          ecr: SIM_ENDPOINT,
          elbv2: SIM_ENDPOINT,
          ec2: SIM_ENDPOINT,
          cloudwatch: SIM_ENDPOINT,
        },
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        ...settings,
      }),
    replaceWorld(next) {
      const nextPolicy = policyOf(next);
      const nextFaults = faultsOf(next);
      world = next;
      policy = nextPolicy;
      faults.replace(nextFaults);
    },
  };
}
