/**
 * What RegisterTaskDefinition refuses, in ECS's words where they are known: task sizes, Fargate's sizes and
 * network mode, roles, containers (essential, memory, dependsOn, health checks, ports, logs), enum values.
 */
import type * as ECS from "@aws-sdk/client-ecs";
import { SimError } from "../../types.js";
import { checkEnums, type EnumRule } from "./ecs-checks.js";

const TASK_DEFINITION_ENUMS: EnumRule[] = [
  ["networkMode", "NetworkMode"],
  ["requiresCompatibilities[]", "Compatibility"],
  ["runtimePlatform.cpuArchitecture", "CPUArchitecture"],
  ["runtimePlatform.operatingSystemFamily", "OSFamily"],
  ["pidMode", "PidMode"],
  ["ipcMode", "IpcMode"],
  ["placementConstraints[].type", "TaskDefinitionPlacementConstraintType"],
  ["proxyConfiguration.type", "ProxyConfigurationType"],
  ["volumes[].dockerVolumeConfiguration.scope", "Scope"],
  ["volumes[].efsVolumeConfiguration.transitEncryption", "EFSTransitEncryption"],
  ["volumes[].efsVolumeConfiguration.authorizationConfig.iam", "EFSAuthorizationConfigIAM"],
  ["containerDefinitions[].portMappings[].protocol", "TransportProtocol"],
  ["containerDefinitions[].portMappings[].appProtocol", "ApplicationProtocol"],
  ["containerDefinitions[].dependsOn[].condition", "ContainerCondition"],
  ["containerDefinitions[].logConfiguration.logDriver", "LogDriver"],
  ["containerDefinitions[].ulimits[].name", "UlimitName"],
  ["containerDefinitions[].environmentFiles[].type", "EnvironmentFileType"],
  ["containerDefinitions[].firelensConfiguration.type", "FirelensConfigurationType"],
  ["containerDefinitions[].resourceRequirements[].type", "ResourceType"],
  ["containerDefinitions[].versionConsistency", "VersionConsistency"],
  ["containerDefinitions[].linuxParameters.devices[].permissions[]", "DeviceCgroupPermission"],
];

/** ECS's quota on containers per task definition. */
const MAX_CONTAINERS = 10;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Fargate's task sizes: CPU units → the memory (MiB) each allows. */
const FARGATE_SIZES: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, by: number): number[] {
  return Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);
}

/** A task size as ECS takes it: `1024` (units, MiB) or `1 vCPU` / `2 GB`, which ECS stores as units and MiB. */
function taskSize(
  value: string | undefined,
  unit: RegExp,
  perUnit: number,
  what: "cpu" | "memory",
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const scaled = unit.exec(text);
  const n = /^\d+$/.test(text) ? Number(text) : scaled ? Number(scaled[1]) * perUnit : Number.NaN;
  if (!Number.isInteger(n) || n <= 0) {
    throw new SimError("InvalidParameterException", `Invalid '${what}' setting for task.`);
  }
  return n;
}

function invalidContainer(name: string, why: string): SimError {
  return new SimError("ClientException", `Invalid setting for container '${name}'. ${why}`);
}

const HEALTH_CHECK_RANGES = [
  ["interval", 5, 300],
  ["timeout", 2, 120],
  ["retries", 1, 10],
  ["startPeriod", 0, 300],
] as const;

function checkHealthCheck(c: ECS.ContainerDefinition): void {
  const hc = c.healthCheck;
  if (!hc) return;
  if (!hc.command?.length) throw invalidContainer(c.name!, "The healthCheck command must not be empty.");
  for (const [field, min, max] of HEALTH_CHECK_RANGES) {
    const value = hc[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      throw invalidContainer(c.name!, `The healthCheck ${field} must be between ${min} and ${max}, got ${value}.`);
    }
  }
}

function checkContainers(input: ECS.RegisterTaskDefinitionCommandInput, memory: number | undefined): void {
  const containers = input.containerDefinitions ?? [];
  if (containers.length > MAX_CONTAINERS) {
    throw new SimError("ClientException", `A task definition can have at most ${MAX_CONTAINERS} containers.`);
  }
  const names = new Set(containers.map((c) => c.name));
  const awsvpc =
    input.networkMode === "awsvpc" || (!input.networkMode && input.requiresCompatibilities?.includes("FARGATE"));
  for (const c of containers) {
    const name = c.name!;
    if (memory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
      throw invalidContainer(name, "At least one of 'memory' or 'memoryReservation' must be specified.");
    }
    if (memory !== undefined && c.memory !== undefined && c.memory > memory) {
      throw new SimError(
        "ClientException",
        `The 'memory' setting for container '${name}' is greater than for the task.`,
      );
    }
    for (const dep of c.dependsOn ?? []) {
      if (!names.has(dep.containerName)) {
        throw invalidContainer(
          name,
          `dependsOn names container '${dep.containerName}', which is not in the task definition.`,
        );
      }
      const target = containers.find((x) => x.name === dep.containerName)!;
      if ((dep.condition === "SUCCESS" || dep.condition === "COMPLETE") && target.essential !== false) {
        throw new SimError(
          "ClientException",
          "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container",
        );
      }
    }
    if (awsvpc && c.portMappings?.some((p) => p.hostPort !== undefined && p.hostPort !== p.containerPort)) {
      throw new SimError(
        "ClientException",
        "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
      );
    }
    if (c.secrets?.length && !input.executionRoleArn) {
      throw new SimError(
        "ClientException",
        "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
      );
    }
    const log = c.logConfiguration;
    if (log?.logDriver === "awslogs" && (!log.options?.["awslogs-group"] || !log.options?.["awslogs-region"])) {
      throw new SimError("ClientException", "Log driver awslogs requires options: awslogs-region, awslogs-group");
    }
    checkHealthCheck(c);
  }
  if (!containers.some((c) => c.essential !== false)) {
    throw new SimError("ClientException", "Task definition doesn't have any essential container.");
  }
}

function checkRoles(input: ECS.RegisterTaskDefinitionCommandInput): void {
  const execution = input.executionRoleArn;
  const task = input.taskRoleArn;
  if (execution !== undefined && !ROLE_ARN.test(execution)) throw new SimError("ClientException", "Role is not valid");
  if (task !== undefined && !ROLE_ARN.test(task) && !ROLE_NAME.test(task)) {
    throw new SimError("ClientException", "Role is not valid");
  }
}

function checkFargate(input: ECS.RegisterTaskDefinitionCommandInput, cpu?: number, memory?: number): void {
  if (!input.requiresCompatibilities?.includes("FARGATE")) return;
  if (cpu === undefined)
    throw new SimError("ClientException", "Fargate requires that 'cpu' be defined at the task level.");
  if (memory === undefined) {
    throw new SimError("ClientException", "Fargate requires that 'memory' be defined at the task level.");
  }
  if ((input.networkMode ?? "awsvpc") !== "awsvpc") {
    throw new SimError("ClientException", "Fargate only supports network mode 'awsvpc'.");
  }
  if (!FARGATE_SIZES[cpu]?.includes(memory)) {
    throw new SimError(
      "ClientException",
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
  }
}

/**
 * Refuses what ECS refuses; returns the task's cpu and memory as ECS stores them (units and MiB as text), since
 * `1 vCPU` and `2 GB` are registered as `1024` and `2048`.
 */
export function checkTaskDefinition(input: ECS.RegisterTaskDefinitionCommandInput): { cpu?: string; memory?: string } {
  checkEnums(input, TASK_DEFINITION_ENUMS, "ClientException");
  const cpu = taskSize(input.cpu, /^(\d+(?:\.\d+)?)\s*vcpu$/i, 1024, "cpu");
  const memory = taskSize(input.memory, /^(\d+(?:\.\d+)?)\s*gb$/i, 1024, "memory");
  checkFargate(input, cpu, memory);
  checkRoles(input);
  checkContainers(input, memory);
  const containerCpu = (input.containerDefinitions ?? []).reduce((n, c) => n + (c.cpu ?? 0), 0);
  if (cpu !== undefined && containerCpu > cpu) {
    throw new SimError(
      "ClientException",
      "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.",
    );
  }
  return {
    ...(cpu !== undefined ? { cpu: String(cpu) } : {}),
    ...(memory !== undefined ? { memory: String(memory) } : {}),
  };
}
