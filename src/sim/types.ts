/**
 * The contract between the simulator's wire layer (protocols, dispatch, transports, faults, journal) and its
 * world (state model, lifecycles, operation handlers).
 */

export type ServiceId = "ecs" | "ecr" | "elbv2" | "ec2" | "cloudwatch";

/** An AWS error as the service would send it; the wire layer shapes it for the protocol. */
export class SimError extends Error {
  constructor(
    /** The wire code: `ClusterNotFoundException` (ECS), `TargetGroupNotFound` (ELBv2), `InvalidSubnetID.NotFound` (EC2). */
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export interface OpContext {
  /** Virtual time, ms since the epoch. */
  now: number;
  region: string;
  accountId: string;
  requestId: string;
}

/**
 * One operation: takes the request as the SDK models it (member names as in the SDK's input type) and returns
 * the output as the SDK models it (timestamps as Date), or throws SimError.
 */
export type OpHandler = (input: any, ctx: OpContext) => unknown;

/** CloudWatch is optional: a world made by hand (tests) may serve only the other four. */
export type Operations = Record<Exclude<ServiceId, "cloudwatch">, Record<string, OpHandler>> & {
  cloudwatch?: Record<string, OpHandler>;
};
