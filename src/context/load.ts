/** Loads a deploy context folder: reads, templates, parses and validates both files, reporting every problem at once. */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import { createServiceInputSchema, registerTaskDefinitionInputSchema, type Schema } from "../aws/schemas.js";
import { formatPath, type ParsedJson, parseJson } from "./json.js";
import { taskDefinitionRules } from "./rules.js";
import { renderTemplate } from "./template.js";
import type { DeployContext } from "./types.js";
import { type Problem, validateAgainst } from "./validate.js";

export const SERVICE_FILE = "service.json";
export const TASK_DEFINITION_FILE = "task-definition.json";
const MAX_BYTES = 1024 * 1024;

/** A deploy context that cannot be used; `problems` are one line each, naming file, line and JSON path. */
export class DeployContextError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `the deploy context has ${problems.length} problems:\n  ${problems.join("\n  ")}`,
    );
    this.name = "DeployContextError";
  }
}

export interface LoadOptions {
  /** Variables for `${NAME}` templating. */
  env: Record<string, string | undefined>;
  /** Given: task-definition.json is not needed (that revision is deployed as it is). */
  taskDefinitionArn?: string;
  /** Only service.json is needed (cleanup, audit of a running service). */
  serviceOnly?: boolean;
}

interface FileSpec {
  name: string;
  schema: Schema;
  what: string;
  optionalTopLevel?: string[];
  /** ECS's rules beyond the shape, checked once the shape is right. */
  rules?: (value: object) => Problem[];
}

function readText(path: string, spec: FileSpec, problems: string[]): string | undefined {
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      problems.push(`${path}: is a folder; it must be a file with ${spec.what}`);
      return undefined;
    }
    if (stat.size > MAX_BYTES) {
      problems.push(`${path}: is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; a deploy-context file is at most 1 MiB`);
      return undefined;
    }
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(
      code === "ENOENT"
        ? `${path}: file not found; a deploy context holds ${spec.name} with ${spec.what}`
        : `${path}: cannot be read (${code ?? String(error)})`,
    );
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
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

function loadFile(
  dir: string,
  spec: FileSpec,
  env: LoadOptions["env"],
  problems: string[],
): { parsed: ParsedJson; path: string } | undefined {
  const path = join(dir, spec.name);
  const raw = readText(path, spec, problems);
  if (raw === undefined) return undefined;
  const { text, missing } = renderTemplate(raw, env);
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
  if (parsed.forbiddenKeys.length > 0) return undefined;
  const report = (found: Problem[]) => {
    for (const p of found) {
      const where = parsed.positionOf(p.path) ? at(p.path) : at(p.path.slice(0, -1));
      problems.push(`${where}: ${formatPath(p.path)}: ${p.message}`);
    }
    return found.length;
  };
  const shapeProblems = report(
    validateAgainst(spec.schema, parsed.value, { optionalTopLevel: spec.optionalTopLevel ?? [] }),
  );
  const ruleProblems = shapeProblems === 0 && spec.rules ? report(spec.rules(parsed.value)) : 0;
  return shapeProblems + ruleProblems === 0 && parsed.duplicateKeys.length === 0 ? { parsed, path } : undefined;
}

export function loadDeployContext(dir: string, options: LoadOptions): DeployContext {
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
    options.env,
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
          },
          options.env,
          problems,
        );
  if (problems.length > 0 || !service) throw new DeployContextError(problems);
  return {
    dir,
    serviceFile: service.path,
    service: service.parsed.value as DeployContext["service"],
    ...(taskDefinition
      ? {
          taskDefinitionFile: taskDefinition.path,
          taskDefinition: taskDefinition.parsed.value as NonNullable<DeployContext["taskDefinition"]>,
          taskDefinitionText: taskDefinition.parsed.text,
        }
      : {}),
  };
}
