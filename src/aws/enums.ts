/**
 * The allowed values of every enum member of the deploy-context inputs, from the SDK's own enum objects. The runtime
 * schemas model enums as plain strings, so which member takes which enum comes from the SDK's type declarations;
 * a test checks this table against them, member for member.
 */
import {
  AccessType,
  ApplicationProtocol,
  AssignPublicIp,
  AvailabilityZoneRebalancing,
  Compatibility,
  ContainerCondition,
  CPUArchitecture,
  DeploymentControllerType,
  DeploymentLifecycleHookAction,
  DeploymentLifecycleHookStage,
  DeploymentLifecycleHookTargetType,
  DeploymentStrategy,
  DeviceCgroupPermission,
  EBSResourceType,
  EFSAuthorizationConfigIAM,
  EFSTransitEncryption,
  EnvironmentFileType,
  FirelensConfigurationType,
  GatewayConnectorHealthCheckProtocol,
  IpcMode,
  LaunchType,
  LogDriver,
  NetworkMode,
  OSFamily,
  PidMode,
  PlacementConstraintType,
  PlacementStrategyType,
  PropagateTags,
  ProxyConfigurationType,
  ResourceType,
  SchedulingStrategy,
  Scope,
  ServiceConnectAccessLoggingFormat,
  ServiceConnectIncludeQueryParameters,
  ServiceRevisionCleanup,
  TaskDefinitionPlacementConstraintType,
  TaskFilesystemType,
  ThresholdType,
  TransportProtocol,
  UlimitName,
  VersionConsistency,
} from "@aws-sdk/client-ecs";

type EnumObject = Record<string, string>;

/** Structure name → member name → the SDK's enum object for it (a list member's items take the enum). */
const ENUM_MEMBERS: Record<string, Record<string, EnumObject>> = {
  AwsVpcConfiguration: { assignPublicIp: AssignPublicIp },
  ContainerDefinition: { versionConsistency: VersionConsistency },
  ContainerDependency: { condition: ContainerCondition },
  CreateServiceRequest: {
    availabilityZoneRebalancing: AvailabilityZoneRebalancing,
    launchType: LaunchType,
    propagateTags: PropagateTags,
    schedulingStrategy: SchedulingStrategy,
  },
  DeploymentConfiguration: { strategy: DeploymentStrategy },
  DeploymentController: { type: DeploymentControllerType },
  DeploymentEarlySuccessCriteria: { sourceServiceRevisionCleanup: ServiceRevisionCleanup },
  DeploymentLifecycleHook: {
    lifecycleStages: DeploymentLifecycleHookStage,
    targetType: DeploymentLifecycleHookTargetType,
  },
  DeploymentLifecycleHookTimeoutConfiguration: { action: DeploymentLifecycleHookAction },
  Device: { permissions: DeviceCgroupPermission },
  DockerVolumeConfiguration: { scope: Scope },
  EBSTagSpecification: { propagateTags: PropagateTags, resourceType: EBSResourceType },
  EFSAuthorizationConfig: { iam: EFSAuthorizationConfigIAM },
  EFSVolumeConfiguration: { transitEncryption: EFSTransitEncryption },
  EnvironmentFile: { type: EnvironmentFileType },
  FirelensConfiguration: { type: FirelensConfigurationType },
  GatewayConnectorFilters: { accessTypes: AccessType },
  GatewayConnectorHealthCheck: { healthCheckProtocol: GatewayConnectorHealthCheckProtocol },
  LogConfiguration: { logDriver: LogDriver },
  PlacementConstraint: { type: PlacementConstraintType },
  PlacementStrategy: { type: PlacementStrategyType },
  PortMapping: { appProtocol: ApplicationProtocol, protocol: TransportProtocol },
  ProxyConfiguration: { type: ProxyConfigurationType },
  RegisterTaskDefinitionRequest: {
    ipcMode: IpcMode,
    networkMode: NetworkMode,
    pidMode: PidMode,
    requiresCompatibilities: Compatibility,
  },
  ResourceRequirement: { type: ResourceType },
  RuntimePlatform: { cpuArchitecture: CPUArchitecture, operatingSystemFamily: OSFamily },
  ServiceConnectAccessLogConfiguration: {
    format: ServiceConnectAccessLoggingFormat,
    includeQueryParameters: ServiceConnectIncludeQueryParameters,
  },
  ServiceManagedEBSVolumeConfiguration: { filesystemType: TaskFilesystemType },
  TaskDefinitionPlacementConstraint: { type: TaskDefinitionPlacementConstraintType },
  ThresholdConfiguration: { type: ThresholdType },
  Ulimit: { name: UlimitName },
};

/** The values a structure's member allows, when the SDK models it as an enum. */
export function enumValuesOf(structure: string | undefined, member: string): readonly string[] | undefined {
  if (structure === undefined || !Object.hasOwn(ENUM_MEMBERS, structure)) return undefined;
  const members = ENUM_MEMBERS[structure] as Record<string, EnumObject>;
  return Object.hasOwn(members, member) ? Object.values(members[member] as EnumObject) : undefined;
}

/** Every structure and member in the table, for the test that holds it to the SDK's declarations. */
export function enumMembers(): { structure: string; member: string; values: readonly string[] }[] {
  return Object.entries(ENUM_MEMBERS).flatMap(([structure, members]) =>
    Object.entries(members).map(([member, values]) => ({ structure, member, values: Object.values(values) })),
  );
}
