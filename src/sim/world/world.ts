/**
 * The simulated AWS world: one state model for ECS, ELBv2, EC2 and ECR, moved by a virtual clock. Nothing is
 * scheduled with timers: each operation first brings the world up to the caller's `now` by running every
 * lifecycle step, health check and scheduler pass due in between, in time order. The agenda (agenda.ts) says
 * what is due and which services have something new, so a request in a world of many tasks stays cheap.
 */
import type { Operations, OpHandler } from "../types.js";
import { populate } from "./build.js";
import { EcrState } from "./ecr-state.js";
import { forgetStoppedTasks } from "./forget.js";
import { stepTargetGroup } from "./health-checks.js";
import { readWorldFile, specOf } from "./load.js";
import { ec2Ops } from "./ops/ec2.js";
import { ecrOps } from "./ops/ecr.js";
import { definitionOps } from "./ops/ecs-definitions.js";
import { serviceOps } from "./ops/ecs-services.js";
import { taskOps } from "./ops/ecs-tasks.js";
import { elbv2Ops } from "./ops/elbv2.js";
import { nextSchedulerEvent, reconcile, wakeOf } from "./scheduler.js";
import { snapshotOf } from "./snapshot.js";
import { WorldState } from "./state.js";

/** Operations that change nothing in the world. */
const READ_ONLY = /^(Describe|List|Get|BatchGet)/;

export interface WorldClock {
  now(): number;
}

export interface WorldOptions {
  region?: string;
  accountId?: string;
  seed?: number;
}

export interface LoadOptions {
  clock?: WorldClock;
  /** One of the world file's named variants. */
  variant?: string;
}

export class World {
  readonly state: WorldState;
  readonly ecr: EcrState;
  readonly operations: Operations;
  /** Raw IAM policy from the world file, for the wire layer. */
  iamPolicy?: unknown;
  /** Raw fault rules from the world file, for the wire layer. */
  faults?: unknown;

  constructor(
    readonly clock: WorldClock,
    options: WorldOptions = {},
  ) {
    this.state = new WorldState(
      options.region ?? "us-east-1",
      options.accountId ?? "123456789012",
      options.seed ?? 1,
      clock.now(),
    );
    this.ecr = new EcrState(this.state);
    this.state.resolveImage = (image) => this.ecr.resolve(image);
    const now = () => this.state.time;
    this.operations = {
      ecs: this.wrap({
        ...definitionOps(this.state, now),
        ...taskOps(this.state, now),
        ...serviceOps(this.state, now),
      }),
      elbv2: this.wrap(elbv2Ops(this.state, now)),
      ec2: this.wrap(ec2Ops(this.state, now)),
      ecr: this.wrap(ecrOps(this.ecr, now)),
    };
  }

  /**
   * A world from a parsed world file; throws WorldFileError naming `sourceName` and the JSON path of each problem.
   * `variant` picks one of the file's named variants.
   */
  static fromJson(
    obj: unknown,
    sourceName: string,
    clockOrOptions: WorldClock | LoadOptions = {},
    variant?: string,
  ): World {
    const options: LoadOptions = "now" in clockOrOptions ? { clock: clockOrOptions, variant } : clockOrOptions;
    const spec = specOf(obj, sourceName, options.variant ?? variant);
    const clock = options.clock ?? { now: () => Date.now() };
    const world = new World(clock, { region: spec.region, accountId: spec.accountId, seed: spec.seed });
    populate(world, spec, sourceName);
    return world;
  }

  /** A world from a file; `path#variant` picks a variant. */
  static fromFile(path: string, options: LoadOptions = {}): World {
    const { obj, source, variant } = readWorldFile(path);
    return World.fromJson(obj, source, { ...options, variant: options.variant ?? variant });
  }

  /** Every handler first brings the world to the caller's time, then lets the scheduler react to what it did. */
  private wrap(ops: Record<string, OpHandler>): Record<string, OpHandler> {
    const wrapped: Record<string, OpHandler> = {};
    for (const [name, handler] of Object.entries(ops)) {
      const reads = READ_ONLY.test(name);
      wrapped[name] = (input, ctx) => {
        this.advanceTo(ctx.now);
        let out: unknown;
        try {
          out = handler(input ?? {}, ctx);
        } finally {
          if (!reads) this.state.agenda.everything(this.state.services.keys());
        }
        this.settle();
        return out;
      };
    }
    return wrapped;
  }

  get accountId(): string {
    return this.state.accountId;
  }

  get region(): string {
    return this.state.region;
  }

  get now(): number {
    return this.state.time;
  }

  /** Runs everything due up to `now`, in time order. Time never goes back. */
  advanceTo(now: number): void {
    const state = this.state;
    for (;;) {
      const next = this.nextEventAfter(state.time);
      if (next === undefined || next > now) break;
      state.time = next;
      this.settle();
    }
    if (now > state.time) {
      state.time = now;
      this.settle();
    }
  }

  /**
   * Health checks and scheduler passes at the current time. A service is passed over when nothing it depends on
   * changed since a pass of it that changed nothing: that pass would change nothing again.
   */
  private settle(): void {
    const { state } = this;
    const { agenda } = state;
    const t = state.time;
    forgetStoppedTasks(state, t);
    agenda.due(t);
    for (const tg of state.targetGroups.values()) {
      const due = agenda.targetGroup(state, tg);
      if (due === undefined || due > t) continue;
      stepTargetGroup(state, tg, t);
      agenda.targetGroupChanged(tg);
    }
    for (const svc of state.services.values()) {
      if (!agenda.dirty.has(svc.arn) && (agenda.wake.get(svc.arn) ?? Number.POSITIVE_INFINITY) > t) continue;
      const before = agenda.changes;
      reconcile(state, svc, t);
      if (agenda.changes !== before) continue;
      agenda.dirty.delete(svc.arn);
      const wake = wakeOf(state, svc, t);
      if (wake === undefined) agenda.wake.delete(svc.arn);
      else agenda.wake.set(svc.arn, wake);
    }
  }

  /** The earliest moment after `after` at which anything changes by itself. */
  nextEventAfter(after: number): number | undefined {
    let next: number | undefined;
    const consider = (at: number | undefined) => {
      if (at !== undefined && at > after && (next === undefined || at < next)) next = at;
    };
    consider(this.state.agenda.nextTaskChange(after));
    for (const tg of this.state.targetGroups.values()) consider(this.state.agenda.targetGroup(this.state, tg));
    for (const svc of this.state.services.values()) consider(nextSchedulerEvent(svc, after));
    return next;
  }

  /** The whole world as JSON, at the clock's current time. */
  snapshot(): object {
    this.advanceTo(this.clock.now());
    return snapshotOf(this);
  }
}
