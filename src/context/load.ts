/** Loads a deploy context folder: reads, templates, parses and validates both files, reporting every problem at once. */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import { createServiceInputSchema, registerTaskDefinitionInputSchema, type Schema } from "../aws/schemas.js";
import { readRegularFile } from "../inputs/read-file.js";
import { workspaceEscape } from "../inputs/workspace.js";
import { droppedNotice, fromDescribed } from "./described.js";
import { DeployContextError } from "./errors.js";
import { type ImageOverrides, withImages } from "./images.js";
import { FORBIDDEN_KEYS, formatPath, type JsonPath, type ParsedJson, parseJson } from "./json.js";
import { taskDefinitionRules } from "./rules.js";
import { renderTemplate } from "./template.js";
import type { DeployContext } from "./types.js";
import { type Problem, validateAgainst } from "./validate.js";

export { DeployContextError };

export const SERVICE_FILE = "service.json";
export const TASK_DEFINITION_FILE = "task-definition.json";
const MAX_BYTES = 1024 * 1024;

export interface LoadOptions {
  /** Variables for `${NAME}` templating. */
  env: Record<string, string | undefined>;
  /** Given: task-definition.json is not needed (that revision is deployed as it is). */
  taskDefinitionArn?: string;
  /** Only service.json is needed (cleanup, audit of a running service). */
  serviceOnly?: boolean;
  /** The runner's workspace, when there is one: a file inside it that links out of it is not read. */
  workspace?: string;
  /** Images set by container name (`images`, `--image`), without templating; `label` names the input. */
  images?: ImageOverrides;
}

interface FileSpec {
  name: string;
  schema: Schema;
  what: string;
  optionalTopLevel?: string[];
  /** ECS's rules beyond the shape, checked once the shape is right. */
  rules?: (value: object) => Problem[];
  /** The API input inside the file's object (describe-task-definition's wrapper), and a notice about it.
   * Its problems' paths are from the file's top level. */
  unwrap?: (value: Record<string, unknown>, path: string) => Unwrapped;
}

interface Unwrapped {
  value: Record<string, unknown>;
  prefix: JsonPath;
  problems: Problem[];
  notice?: string;
}

/** describe-task-definition's output: the task definition inside its wrapper, without the keys ECS sets. */
function unwrapTaskDefinition(file: Record<string, unknown>, path: string): Unwrapped {
  const described = fromDescribed(file);
  const notice = droppedNotice(path, described.dropped);
  return {
    value: described.value,
    prefix: described.prefix,
    problems: described.strangers.map((key) => ({
      path: [key],
      message: "unknown key beside taskDefinition; describe-task-definition prints only taskDefinition and tags",
    })),
    ...(notice ? { notice } : {}),
  };
}

function readText(path: string, spec: FileSpec, workspace: string | undefined, problems: string[]): string | undefined {
  if (workspace !== undefined && workspaceEscape(workspace, path) === "link") {
    problems.push(`${path}: is a link that leads outside the workspace, so it was not read; put the file itself here`);
    return undefined;
  }
  const read = readRegularFile(path, MAX_BYTES);
  if (!read.ok) {
    problems.push(`${path}: ${unreadable(read, spec)}`);
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    problems.push(`${path}: is not valid UTF-8 text; save it as UTF-8`);
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") {
    problems.push(`${path}: is empty; it must hold a JSON object with ${spec.what}`);
    return undefined;
  }
  return text;
}

function unreadable(read: Exclude<ReturnType<typeof readRegularFile>, { ok: true }>, spec: FileSpec): string {
  switch (read.why) {
    case "missing":
      return `file not found; a deploy context holds ${spec.name} with ${spec.what}`;
    case "folder":
      return `is a folder; it must be a file with ${spec.what}`;
    case "not-regular":
      return `is not a regular file (a FIFO, device or socket), so it was not read; put a JSON file here`;
    case "too-large":
      return `is ${(read.size / 1024 / 1024).toFixed(1)} MiB; a deploy-context file is at most 1 MiB`;
    case "unreadable":
      return `cannot be read (${read.code})`;
  }
}

function loadFile(
  dir: string,
  spec: FileSpec,
  options: LoadOptions,
  problems: string[],
): { parsed: ParsedJson; path: string; value: object; notice?: string } | undefined {
  const path = join(dir, spec.name);
  const raw = readText(path, spec, options.workspace, problems);
  if (raw === undefined) return undefined;
  const { text, missing, tooLarge } = renderTemplate(raw, options.env, MAX_BYTES);
  if (tooLarge) {
    problems.push(
      `${path}: is over 1 MiB once its \${...} variables are filled in; a deploy-context file is at most 1 MiB`,
    );
    return undefined;
  }
  for (const m of missing) {
    problems.push(
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(m.name)
        ? `${path}:${m.line}: environment variable ${m.name} is not set (used as \${${m.name}}); set it, or write $\${${m.name}} for a literal`
        : `${path}:${m.line}: \${${m.name}} is not a variable name; only \${NAME} is supported (no defaults), or write $\${...} for a literal`,
    );
  }
  if (missing.length > 0) return undefined;
  let parsed: ParsedJson;
  try {
    parsed = parseJson(text);
  } catch (error) {
    problems.push(`${path}: cannot be parsed (${error instanceof RangeError ? "nested too deeply" : String(error)})`);
    return undefined;
  }
  if (parsed.syntaxErrors.length > 0) {
    const first = parsed.syntaxErrors[0]!;
    problems.push(`${path}:${first.position.line}:${first.position.column}: invalid JSON: ${first.message}`);
    return undefined;
  }
  if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
    problems.push(`${path}: must hold a JSON object with ${spec.what}`);
    return undefined;
  }
  const at = (p: (string | number)[]) => {
    const pos = parsed.positionOf(p);
    return pos ? `${path}:${pos.line}:${pos.column}` : path;
  };
  for (const d of parsed.duplicateKeys) {
    problems.push(
      `${path}:${d.position.line}:${d.position.column}: ${formatPath(d.path)}: duplicate key; only one is used, remove the other`,
    );
  }
  for (const f of parsed.forbiddenKeys) {
    problems.push(
      `${path}:${f.position.line}:${f.position.column}: ${formatPath(f.path)}: this key is refused (no ECS input has it, and JavaScript gives it a special meaning); remove it`,
    );
  }
  const unwrapped = spec.unwrap?.(parsed.value as Record<string, unknown>, path);
  const prefix = unwrapped?.prefix ?? [];
  const value = unwrapped?.value ?? (parsed.value as object);
  /** `base`: where the paths start; the unwrapper's own problems are about the file's top level. */
  const report = (found: Problem[], base: JsonPath = prefix) => {
    for (const p of found) {
      const full = [...base, ...p.path];
      const where = parsed.positionOf(full) ? at(full) : at(full.slice(0, -1));
      problems.push(`${where}: ${formatPath(full)}: ${p.message}`);
    }
    return found.length;
  };
  // A refused key is reported once, above, not again as an unknown key.
  const shapeProblems =
    report(unwrapped?.problems ?? [], []) +
    report(
      validateAgainst(spec.schema, value, { optionalTopLevel: spec.optionalTopLevel ?? [] }).filter(
        (p) => !p.path.some((part) => typeof part === "string" && FORBIDDEN_KEYS.has(part)),
      ),
    );
  const clean = shapeProblems === 0 && parsed.forbiddenKeys.length === 0;
  const ruleProblems = clean && spec.rules ? report(spec.rules(value)) : 0;
  if (!clean || ruleProblems > 0 || parsed.duplicateKeys.length > 0) return undefined;
  return { parsed, path, value, ...(unwrapped?.notice ? { notice: unwrapped.notice } : {}) };
}

export function loadDeployContext(dir: string, options: LoadOptions): DeployContext {
  if (options.workspace !== undefined && workspaceEscape(options.workspace, dir) === "link") {
    throw new DeployContextError([
      `${dir}: the deploy context folder is a link that leads outside the workspace, so it was not read; name a folder in the repository`,
    ]);
  }
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new DeployContextError([
      `${dir}: deploy context folder not found; pass the folder that holds ${SERVICE_FILE} and ${TASK_DEFINITION_FILE}`,
    ]);
  }
  if (!isDir) {
    throw new DeployContextError([
      `${dir}: is a file; a deploy context is a folder with ${SERVICE_FILE} and ${TASK_DEFINITION_FILE}`,
    ]);
  }
  const problems: string[] = [];
  const service = loadFile(
    dir,
    {
      name: SERVICE_FILE,
      schema: createServiceInputSchema,
      what: "the shape of ECS CreateService input",
      optionalTopLevel: ["serviceName"],
    },
    options,
    problems,
  );
  const taskDefinition =
    options.taskDefinitionArn || options.serviceOnly
      ? undefined
      : loadFile(
          dir,
          {
            name: TASK_DEFINITION_FILE,
            schema: registerTaskDefinitionInputSchema,
            what: "the shape of ECS RegisterTaskDefinition input",
            rules: (td) => taskDefinitionRules(td as RegisterTaskDefinitionRequest),
            unwrap: unwrapTaskDefinition,
          },
          options,
          problems,
        );
  if (problems.length > 0 || !service) throw new DeployContextError(problems);
  const context: DeployContext = {
    dir,
    serviceFile: service.path,
    service: service.value as DeployContext["service"],
    ...(taskDefinition
      ? {
          taskDefinitionFile: taskDefinition.path,
          taskDefinition: taskDefinition.value as NonNullable<DeployContext["taskDefinition"]>,
          taskDefinitionText: taskDefinition.parsed.text,
        }
      : {}),
    ...(taskDefinition?.notice ? { notices: [taskDefinition.notice] } : {}),
  };
  return options.images ? withImages(context, options.images) : context;
}
