/** Deploy contexts written to temp folders from the example, with one change, and the loader's problems for them. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { DeployContextError, type LoadOptions, loadDeployContext } from "../../src/context/load.js";

const example = (file: string) => readFileSync(join("deploy-example", file), "utf8");
export const EXAMPLE = {
  "service.json": example("service.json"),
  "task-definition.json": example("task-definition.json"),
};
export const ENV = { IMAGE_TAG: "v2" };

/** A folder holding the example's files, with the given ones replaced. */
export function tempContext(files: Partial<Record<keyof typeof EXAMPLE | string, string | Buffer>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "cage-ctx-"));
  for (const [name, content] of Object.entries({ ...EXAMPLE, ...files })) {
    if (content !== undefined) writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The example's task-definition.json with `change` applied to its parsed value. */
export function taskDefinitionWith(change: (td: Record<string, any>) => void): string {
  const td = JSON.parse(EXAMPLE["task-definition.json"]);
  change(td);
  return JSON.stringify(td, null, 2);
}

export function serviceWith(change: (s: Record<string, any>) => void): string {
  const service = JSON.parse(EXAMPLE["service.json"]);
  change(service);
  return JSON.stringify(service, null, 2);
}

export function problemsOf(dir: string, options: Partial<LoadOptions> = {}): string[] {
  try {
    loadDeployContext(dir, { env: ENV, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(DeployContextError);
    return (error as DeployContextError).problems;
  }
  throw new Error(`${dir} loaded without problems`);
}
