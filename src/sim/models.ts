/**
 * The five services as the AWS SDK models them. The SDK's own schema constants (`DescribeTasks$`, ...) drive
 * request parsing and response writing, so wire names and types come from the same source as the clients'.
 * This is the only simulator module that imports `@aws-sdk/client-*` values.
 */
import * as CW from "@aws-sdk/client-cloudwatch";
import * as EC2 from "@aws-sdk/client-ec2";
import * as ECR from "@aws-sdk/client-ecr";
import * as ECS from "@aws-sdk/client-ecs";
import * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ServiceId } from "./types.js";

/** The wire a request speaks: awsJson (1.0 or 1.1), awsQuery, ec2Query or smithy RPC v2 CBOR. */
export type ProtocolKind = "json" | "query" | "ec2" | "cbor";

/** An operation schema as exported by the SDK: `[9, namespace, name, traits, input, output]`. */
export type OperationSchema = readonly [9, string, string, unknown, () => unknown, () => unknown];

export interface ServiceModel {
  id: ServiceId;
  protocol: ProtocolKind;
  /** SigV4 signing name, and the IAM action prefix unless iamPrefix says otherwise. */
  signingName: string;
  iamPrefix?: string;
  /** awsJson: the protocol version in the content type (`1.1` unless said). */
  jsonVersion?: "1.0" | "1.1";
  /**
   * Whether its JSON and CBOR errors also carry the awsQuery code in `x-amzn-query-error` (CloudWatch, which
   * answers all three wires: the JS SDK sends awsJson1_0, botocore RPC v2 CBOR, older clients awsQuery).
   */
  queryCompatible?: boolean;
  /** awsJson: the X-Amz-Target prefix; RPC v2 CBOR: the service name in `/service/<name>/operation/<op>`. */
  target?: string;
  /** Query protocols: the API version sent as `Version`. */
  version?: string;
  xmlns: string;
  operations: ReadonlyMap<string, OperationSchema>;
}

function operationsOf(module: Record<string, unknown>): Map<string, OperationSchema> {
  const ops = new Map<string, OperationSchema>();
  for (const value of Object.values(module)) {
    if (Array.isArray(value) && value[0] === 9 && typeof value[2] === "string") {
      ops.set(value[2], value as unknown as OperationSchema);
    }
  }
  return ops;
}

export const services: Record<ServiceId, ServiceModel> = {
  ecs: {
    id: "ecs",
    protocol: "json",
    signingName: "ecs",
    target: "AmazonEC2ContainerServiceV20141113",
    xmlns: "",
    operations: operationsOf(ECS),
  },
  ecr: {
    id: "ecr",
    protocol: "json",
    signingName: "ecr",
    target: "AmazonEC2ContainerRegistry_V20150921",
    xmlns: "",
    operations: operationsOf(ECR),
  },
  elbv2: {
    id: "elbv2",
    protocol: "query",
    signingName: "elasticloadbalancing",
    version: "2015-12-01",
    xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
    operations: operationsOf(ELB),
  },
  ec2: {
    id: "ec2",
    protocol: "ec2",
    signingName: "ec2",
    version: "2016-11-15",
    xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
    operations: operationsOf(EC2),
  },
  cloudwatch: {
    id: "cloudwatch",
    protocol: "query",
    signingName: "monitoring",
    iamPrefix: "cloudwatch",
    target: "GraniteServiceVersion20100801",
    jsonVersion: "1.0",
    queryCompatible: true,
    version: "2010-08-01",
    xmlns: "http://monitoring.amazonaws.com/doc/2010-08-01/",
    operations: operationsOf(CW),
  },
};

/** The model as one request speaks it (CloudWatch answers in the protocol it was asked in). */
export const speaking = (model: ServiceModel, protocol: ProtocolKind): ServiceModel =>
  model.protocol === protocol ? model : { ...model, protocol };

export const serviceIds = Object.keys(services) as ServiceId[];

/** ECS's enums as the SDK models them, for the requests the simulator checks member by member. */
export const ecsEnums = {
  ApplicationProtocol: ECS.ApplicationProtocol,
  AssignPublicIp: ECS.AssignPublicIp,
  AvailabilityZoneRebalancing: ECS.AvailabilityZoneRebalancing,
  Compatibility: ECS.Compatibility,
  ContainerCondition: ECS.ContainerCondition,
  CPUArchitecture: ECS.CPUArchitecture,
  DeploymentControllerType: ECS.DeploymentControllerType,
  DeploymentLifecycleHookStage: ECS.DeploymentLifecycleHookStage,
  DeploymentStrategy: ECS.DeploymentStrategy,
  DeviceCgroupPermission: ECS.DeviceCgroupPermission,
  EFSAuthorizationConfigIAM: ECS.EFSAuthorizationConfigIAM,
  EFSTransitEncryption: ECS.EFSTransitEncryption,
  EnvironmentFileType: ECS.EnvironmentFileType,
  FirelensConfigurationType: ECS.FirelensConfigurationType,
  IpcMode: ECS.IpcMode,
  LaunchType: ECS.LaunchType,
  LogDriver: ECS.LogDriver,
  NetworkMode: ECS.NetworkMode,
  OSFamily: ECS.OSFamily,
  PidMode: ECS.PidMode,
  PlacementConstraintType: ECS.PlacementConstraintType,
  PlacementStrategyType: ECS.PlacementStrategyType,
  PropagateTags: ECS.PropagateTags,
  ProxyConfigurationType: ECS.ProxyConfigurationType,
  ResourceType: ECS.ResourceType,
  SchedulingStrategy: ECS.SchedulingStrategy,
  ServiceDeploymentStatus: ECS.ServiceDeploymentStatus,
  Scope: ECS.Scope,
  TaskDefinitionPlacementConstraintType: ECS.TaskDefinitionPlacementConstraintType,
  TransportProtocol: ECS.TransportProtocol,
  UlimitName: ECS.UlimitName,
  VersionConsistency: ECS.VersionConsistency,
} as const satisfies Record<string, Record<string, string>>;

export type EcsEnumName = keyof typeof ecsEnums;

/** ELBv2's enums the simulator checks listener and rule actions against. */
export const elbEnums = {
  ActionTypeEnum: ELB.ActionTypeEnum,
  RedirectActionStatusCodeEnum: ELB.RedirectActionStatusCodeEnum,
} as const satisfies Record<string, Record<string, string>>;
