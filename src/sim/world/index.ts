/** The simulator's world: state model, lifecycles and operation handlers. */
export { WorldBuilder } from "./builder.js";
export { mergeOver, WorldFileError, worldSchema } from "./load.js";
export type {
  ClusterSpec,
  EcrImageSpec,
  EcrRepositorySpec,
  FindingSpec,
  ImageBehaviour,
  LoadBalancerSpec,
  ScanSpec,
  SecurityGroupSpec,
  ServiceSpec,
  SubnetSpec,
  TargetGroupSpec,
  WorldSpec,
} from "./spec.js";
export { type LoadOptions, World, type WorldClock, type WorldOptions } from "./world.js";
