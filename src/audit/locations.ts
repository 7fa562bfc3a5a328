/** Locations for SARIF results and annotations: the file from the repository's root, the line of each image. */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { isWrapped } from "../context/described.js";
import { parseJson } from "../context/json.js";

/**
 * A file as code scanning and annotations name it: relative to the repository's root, with `/`. A file outside
 * the root stays as given.
 */
export function repositoryPath(file: string, root: string): string {
  const path = relative(root, resolve(root, file));
  return path && !path.startsWith("..") && !isAbsolute(path) ? path.split(sep).join("/") : file;
}

/** Container name → the 1-based line of its `"image"` key; empty when the text is not valid JSON. */
export function imageLines(taskDefinitionText: string): Map<string, number> {
  const result = new Map<string, number>();
  const parsed = parseJson(taskDefinitionText);
  if (parsed.syntaxErrors.length > 0) return result;
  const file = parsed.value as Record<string, unknown> | undefined;
  // describe-task-definition's output holds the task definition under `taskDefinition`.
  const prefix = file && typeof file === "object" && isWrapped(file) ? ["taskDefinition"] : [];
  const root = (prefix.length > 0 ? file?.taskDefinition : file) as { containerDefinitions?: unknown } | undefined;
  const containers = root?.containerDefinitions;
  if (!Array.isArray(containers)) return result;
  containers.forEach((c: { name?: unknown } | null, i) => {
    const line = parsed.positionOf([...prefix, "containerDefinitions", i, "image"])?.line;
    if (typeof c?.name === "string" && line !== undefined && !result.has(c.name)) result.set(c.name, line);
  });
  return result;
}
