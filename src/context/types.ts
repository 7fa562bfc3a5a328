import type { CreateServiceRequest, RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";

/** A loaded, templated and validated deploy context folder. */
export interface DeployContext {
  /** The folder, as given. */
  dir: string;
  serviceFile: string;
  /** `service.json`: the shape of ECS CreateService input. */
  service: CreateServiceRequest;
  taskDefinitionFile?: string;
  /** `task-definition.json`: the shape of RegisterTaskDefinition input; absent when a task definition ARN is given. */
  taskDefinition?: RegisterTaskDefinitionRequest;
  /** The templated text of task-definition.json, to locate lines (annotations, SARIF). */
  taskDefinitionText?: string;
  /** What the loader changed that the user should know (read-only keys of a described revision dropped). */
  notices?: string[];
}
