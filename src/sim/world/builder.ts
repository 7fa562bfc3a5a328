/**
 * A typed way for tests to set up worlds tersely: start from a world file's JSON (the demo world, say), pick a
 * variant, then add or override pieces. `build` validates like a world file does.
 */
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { mergeOver, variantOf } from "./load.js";
import type {
  ClusterSpec,
  EcrRepositorySpec,
  ImageBehaviour,
  LoadBalancerSpec,
  SecurityGroupSpec,
  ServiceSpec,
  SubnetSpec,
  TargetGroupSpec,
  VpcSpec,
  WorldSpec,
} from "./spec.js";
import { World, type WorldClock } from "./world.js";

type Keyed = { subnetId?: string; groupId?: string; name?: string; serviceName?: string };

function upsert<T extends Keyed>(list: T[] | undefined, item: T, key: keyof Keyed): T[] {
  const rest = (list ?? []).filter((x) => x[key] !== item[key]);
  return [...rest, item];
}

export class WorldBuilder {
  private spec: WorldSpec;

  constructor(base: WorldSpec = {}) {
    this.spec = structuredClone(base);
  }

  /** Starts from a world file's parsed JSON, optionally with one of its variants merged in. */
  static from(json: unknown, variant?: string): WorldBuilder {
    const spec = structuredClone(json) as WorldSpec;
    const change = variant ? variantOf(spec, variant) : undefined;
    if (variant && !change) throw new Error(`world has no variant "${variant}"`);
    const merged = change ? mergeOver({ ...spec, variants: undefined }, change) : spec;
    return new WorldBuilder(merged);
  }

  merge(change: Partial<WorldSpec>): this {
    this.spec = mergeOver(this.spec, change);
    return this;
  }

  image(ref: string, behaviour: ImageBehaviour): this {
    this.spec.images = { ...this.spec.images, [ref]: { ...this.spec.images?.[ref], ...behaviour } };
    return this;
  }

  vpc(vpc: VpcSpec): this {
    this.spec.vpcs = [...(this.spec.vpcs ?? []).filter((v) => v.vpcId !== vpc.vpcId), vpc];
    return this;
  }

  subnet(subnet: SubnetSpec): this {
    this.spec.subnets = upsert(this.spec.subnets, subnet, "subnetId");
    return this;
  }

  securityGroup(group: SecurityGroupSpec): this {
    this.spec.securityGroups = upsert(this.spec.securityGroups, group, "groupId");
    return this;
  }

  cluster(cluster: ClusterSpec): this {
    this.spec.clusters = upsert(this.spec.clusters, cluster, "name");
    return this;
  }

  loadBalancer(lb: LoadBalancerSpec): this {
    this.spec.loadBalancers = upsert(this.spec.loadBalancers, lb, "name");
    return this;
  }

  targetGroup(tg: TargetGroupSpec): this {
    this.spec.targetGroups = upsert(this.spec.targetGroups, tg, "name");
    return this;
  }

  taskDefinition(input: RegisterTaskDefinitionCommandInput): this {
    this.spec.taskDefinitions = [...(this.spec.taskDefinitions ?? []), input as unknown as Record<string, unknown>];
    return this;
  }

  service(svc: ServiceSpec): this {
    this.spec.services = upsert(this.spec.services, svc, "serviceName");
    return this;
  }

  /** Drops every declared service (for tests that create their own). */
  noServices(): this {
    this.spec.services = [];
    return this;
  }

  /** Adds or replaces the repository of that name in the same registry (account and region). */
  repository(repo: EcrRepositorySpec): this {
    const where = (r: EcrRepositorySpec) => `${r.registryId ?? ""}/${r.region ?? ""}/${r.name}`;
    const rest = (this.spec.ecr?.repositories ?? []).filter((r) => where(r) !== where(repo));
    this.spec.ecr = { repositories: [...rest, repo] };
    return this;
  }

  toJson(): WorldSpec {
    return structuredClone(this.spec);
  }

  build(clock: WorldClock, source = "WorldBuilder"): World {
    return World.fromJson(this.toJson(), source, { clock });
  }
}
