/**
 * The simulated AWS world: ECS, ELBv2, EC2 and CloudWatch per region (region.ts), and ECR's registries, moved by a virtual
 * clock. A request is served by the region its SigV4 credential scope names: resources made in one region are
 * not found from another, as in AWS. The world file's resources are in its `region`; any other region starts
 * empty the first time a request reaches it.
 */
import type { OpContext, Operations, OpHandler } from "../types.js";
import { setAlarmState } from "./alarm-triggers.js";
import type { AlarmState } from "./alarms.js";
import { populate } from "./build.js";
import { EcrState } from "./ecr-state.js";
import { readWorldFile, specOf } from "./load.js";
import { ecrOps } from "./ops/ecr.js";
import { Region } from "./region.js";
import { snapshotOf } from "./snapshot.js";
import type { WorldState } from "./state.js";

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

/** A region name as AWS spells them (`us-west-2`, `eu-central-1`, `us-gov-west-1`). */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** A seed per region, so IDs made in two regions differ, yet stay the same from run to run. */
function regionSeed(seed: number, region: string): number {
  let h = seed >>> 0;
  for (const ch of region) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h || 1;
}

export class World {
  /** The world file's region, where its resources are. */
  readonly home: Region;
  readonly ecr: EcrState;
  readonly operations: Operations;
  /** Raw IAM policy from the world file, for the wire layer. */
  iamPolicy?: unknown;
  /** Raw fault rules from the world file, for the wire layer. */
  faults?: unknown;
  private readonly regions = new Map<string, Region>();
  private readonly seed: number;

  constructor(
    readonly clock: WorldClock,
    options: WorldOptions = {},
  ) {
    this.seed = options.seed ?? 1;
    this.home = new Region({
      region: options.region ?? "us-east-1",
      accountId: options.accountId ?? "123456789012",
      seed: this.seed,
      start: clock.now(),
    });
    this.regions.set(this.home.state.region, this.home);
    this.ecr = new EcrState(this.home.state);
    this.home.state.resolveImage = (image) => this.ecr.resolve(image);
    this.home.state.imageMissing = (image) => this.ecr.missing(image);
    this.operations = {
      ecs: this.routed("ecs"),
      elbv2: this.routed("elbv2"),
      ec2: this.routed("ec2"),
      cloudwatch: this.routed("cloudwatch"),
      ecr: this.home.wrap(ecrOps(this.ecr, () => this.home.state.time)),
    };
  }

  /**
   * A world from a parsed world file; throws WorldFileError naming `sourceName` and the JSON path of each problem.
   * `variant` picks one of the file's named variants.
   */
  static fromJson(obj: unknown, sourceName: string, options: LoadOptions = {}): World {
    const spec = specOf(obj, sourceName, options.variant);
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

  /** Each call goes to the handler of the caller's region. */
  private routed(service: "ecs" | "elbv2" | "ec2" | "cloudwatch"): Record<string, OpHandler> {
    const routed: Record<string, OpHandler> = {};
    for (const name of Object.keys(this.home.operations[service])) {
      routed[name] = (input, ctx: OpContext) => this.region(ctx.region).operations[service][name]!(input, ctx);
    }
    return routed;
  }

  /** The named region (made empty on first use); the world's own for a name that is not a region's. */
  region(name: string | undefined): Region {
    if (!name || !REGION_NAME.test(name)) return this.home;
    let region = this.regions.get(name);
    if (!region) {
      const home = this.home.state;
      region = new Region({
        region: name,
        accountId: home.accountId,
        seed: regionSeed(this.seed, name),
        start: home.time,
        images: home.images,
        resolveImage: home.resolveImage,
        imageMissing: home.imageMissing,
      });
      this.regions.set(name, region);
    }
    return region;
  }

  /** The world file's region's state. */
  get state(): WorldState {
    return this.home.state;
  }

  get accountId(): string {
    return this.home.state.accountId;
  }

  get defaultRegion(): string {
    return this.home.state.region;
  }

  get now(): number {
    return this.home.state.time;
  }

  /** Brings every region up to `now`, in time order within each. */
  advanceTo(now: number): void {
    for (const region of this.regions.values()) region.advanceTo(now);
  }

  /** The earliest moment after `after` at which anything changes by itself, in any region. */
  nextEventAfter(after: number): number | undefined {
    const times = [...this.regions.values()].map((r) => r.nextEventAfter(after)).filter((t) => t !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Regions other than the world file's that have anything in them. */
  otherRegions(): Region[] {
    return [...this.regions.values()].filter((r) => r !== this.home && !r.isEmpty);
  }

  /** Sets a CloudWatch alarm's state in the world file's region (the control API's POST /_sim/alarms). */
  setAlarm(name: string, to: AlarmState, reason: string): boolean {
    this.advanceTo(this.clock.now());
    const known = setAlarmState(this.state, name, to, reason, this.state.time);
    this.home.settleNow();
    return known;
  }

  /** The whole world as JSON, at the clock's current time. */
  snapshot(): object {
    this.advanceTo(this.clock.now());
    return snapshotOf(
      this.state,
      this.otherRegions().map((r) => r.state),
      this.ecr,
    );
  }
}
