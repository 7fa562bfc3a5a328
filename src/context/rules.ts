/**
 * ECS's own rules for a task definition that the shape does not show, checked locally where the answer is cheap and
 * certain: ECS would refuse the registration, later and with less to go on.
 */
import type { ContainerDefinition, HealthCheck, RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import type { JsonPath } from "./json.js";
import type { Problem } from "./validate.js";

/** CPU units (`1024`) or vCPUs (`1 vCPU`, `0.5 vcpu`), as RegisterTaskDefinition documents them. */
const CPU = /^(\d+|\d+(\.\d+)?\s*vcpu)$/i;
/** MiB (`1024`) or GB (`1GB`, `1 GB`). */
const MEMORY = /^(\d+|\d+(\.\d+)?\s*gb)$/i;
/** Families and container names: up to 255 letters, digits, hyphens and underscores. */
const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/([\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
const ROLE_FORM = "arn:aws:iam::<account>:role/<name>";

/** ECS's documented range of each health-check setting, in seconds (retries: a count). */
const HEALTH_RANGES: [keyof HealthCheck, number, number][] = [
  ["interval", 5, 300],
  ["timeout", 2, 60],
  ["retries", 1, 10],
  ["startPeriod", 0, 300],
];

const quoted = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);

export function taskDefinitionRules(td: RegisterTaskDefinitionRequest): Problem[] {
  const problems: Problem[] = [];
  const add = (path: JsonPath, message: string) => problems.push({ path, message });
  if (td.family !== undefined && !NAME.test(td.family)) {
    add(
      ["family"],
      `${quoted(td.family)} is not a valid family; use up to 255 letters, digits, hyphens and underscores`,
    );
  }
  if (td.cpu !== undefined && !CPU.test(td.cpu.trim())) {
    add(["cpu"], `${quoted(td.cpu)} is not an amount of CPU; write CPU units like "1024" or vCPUs like "1 vCPU"`);
  }
  if (td.memory !== undefined && !MEMORY.test(td.memory.trim())) {
    add(["memory"], `${quoted(td.memory)} is not an amount of memory; write MiB like "2048" or GB like "2 GB"`);
  }
  if (td.executionRoleArn !== undefined && !ROLE_ARN.test(td.executionRoleArn)) {
    add(["executionRoleArn"], `${quoted(td.executionRoleArn)} is not an IAM role ARN; write ${ROLE_FORM}`);
  }
  // ECS documents a short role name as valid here.
  if (td.taskRoleArn !== undefined && !ROLE_ARN.test(td.taskRoleArn) && !ROLE_NAME.test(td.taskRoleArn)) {
    add(["taskRoleArn"], `${quoted(td.taskRoleArn)} is neither an IAM role ARN nor a role name; write ${ROLE_FORM}`);
  }
  problems.push(...containerRules(td.containerDefinitions ?? []));
  return problems;
}

function containerRules(containers: ContainerDefinition[]): Problem[] {
  const problems: Problem[] = [];
  if (containers.length === 0) {
    problems.push({
      path: ["containerDefinitions"],
      message: "is empty; a task definition needs at least one container, with a name and an image",
    });
    return problems;
  }
  // ECS treats a container without `essential` as essential.
  if (containers.every((c) => c.essential === false)) {
    problems.push({
      path: ["containerDefinitions"],
      message: 'no container is essential; ECS needs at least one: set "essential": true on the main container',
    });
  }
  const names = containers.map((c) => c.name);
  const known = names.filter((n): n is string => n !== undefined);
  containers.forEach((c, i) => {
    const at: JsonPath = ["containerDefinitions", i];
    if (!c.name) {
      problems.push({ path: [...at, "name"], message: "is required by ECS; give each container a name, like app" });
    } else if (!NAME.test(c.name)) {
      problems.push({
        path: [...at, "name"],
        message: `${quoted(c.name)} is not a valid container name; use up to 255 letters, digits, hyphens and underscores`,
      });
    } else if (names.indexOf(c.name) !== i) {
      problems.push({
        path: [...at, "name"],
        message: `${quoted(c.name)} names two containers; give each its own name`,
      });
    }
    if (!c.image) {
      problems.push({
        path: [...at, "image"],
        message: "is required by ECS; name the image to run, like 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1",
      });
    }
    (c.dependsOn ?? []).forEach((d, j) => {
      if (d.containerName === undefined || known.includes(d.containerName)) return;
      problems.push({
        path: [...at, "dependsOn", j, "containerName"],
        message: `${quoted(d.containerName)} is not a container of this task definition; name one of ${known.join(", ")}`,
      });
    });
    for (const [key, min, max] of HEALTH_RANGES) {
      const value = c.healthCheck?.[key];
      if (typeof value !== "number" || (value >= min && value <= max)) continue;
      problems.push({
        path: [...at, "healthCheck", key],
        message: `is ${value}; set it between ${min} and ${max}${key === "retries" ? "" : " seconds"}, ECS's range`,
      });
    }
  });
  return problems;
}
