/** Images set by container name (the `images` input, `--image`), as given: no templating, no other change. */
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { DeployContextError } from "./errors.js";
import type { DeployContext } from "./types.js";

export interface ImageOverrides {
  /** How the user gave them: `'images'`, `--image`. */
  label: string;
  byContainer: ReadonlyMap<string, string>;
}

/** The context with each named container's image replaced; a container the file does not have is an error. */
export function withImages(context: DeployContext, images: ImageOverrides): DeployContext {
  if (images.byContainer.size === 0) return context;
  const td = context.taskDefinition;
  if (!td) {
    throw new DeployContextError([
      `${images.label} sets images in task-definition.json, but this deploy has none (a registered task definition is deployed as it is); remove ${images.label} or the task definition ARN`,
    ]);
  }
  const containers = td.containerDefinitions ?? [];
  const names = containers.map((c) => c.name ?? "");
  const unknown = [...images.byContainer.keys()].filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new DeployContextError(
      unknown.map(
        (name) =>
          `${images.label}: container '${name}' is not in ${context.taskDefinitionFile}; its containers are: ${names.join(", ")}`,
      ),
    );
  }
  const containerDefinitions: ContainerDefinition[] = containers.map((c) => {
    const image = images.byContainer.get(c.name ?? "");
    return image === undefined ? c : { ...c, image };
  });
  return { ...context, taskDefinition: { ...td, containerDefinitions } };
}
