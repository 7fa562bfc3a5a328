import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployContextError, loadDeployContext } from "../../src/context/load.js";

const fixtures = "__tests__/fixtures/contexts";
const MINIMAL_TASK_DEFINITION = '{ "family": "web", "containerDefinitions": [{ "name": "app", "image": "web:1" }] }';

function problemsOf(dir: string, env: Record<string, string> = {}, taskDefinitionArn?: string): string[] {
  try {
    loadDeployContext(dir, { env, ...(taskDefinitionArn ? { taskDefinitionArn } : {}) });
  } catch (error) {
    expect(error).toBeInstanceOf(DeployContextError);
    return (error as DeployContextError).problems;
  }
  throw new Error(`${dir} loaded without problems`);
}

function tempContext(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "cage-ctx-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe("loadDeployContext", () => {
  it("loads the example context with its variables filled in", () => {
    const ctx = loadDeployContext("deploy-example", { env: { IMAGE_TAG: "v2" } });
    expect(ctx.service.serviceName).toBe("web");
    expect(ctx.service.cluster).toBe("production");
    expect(ctx.taskDefinition?.containerDefinitions?.[0]?.image).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2",
    );
    expect(ctx.taskDefinitionText).toContain("web:v2");
  });

  it("names the file, line, JSON path and the likely key for every unknown key, in both files at once", () => {
    expect(problemsOf(`${fixtures}/typo`)).toEqual([
      `${fixtures}/typo/service.json:4:3: desiredCont: unknown key; did you mean "desiredCount"?`,
      `${fixtures}/typo/task-definition.json:8:7: containerDefinitions[1].portMapings: unknown key; did you mean "portMappings"?`,
    ]);
  });

  it("reports wrong types with what was expected and what was found", () => {
    expect(problemsOf(`${fixtures}/wrong-types`)).toEqual([
      `${fixtures}/wrong-types/service.json:3:3: desiredCount: expected a number, got a string ("2")`,
      `${fixtures}/wrong-types/service.json:4:54: networkConfiguration.awsvpcConfiguration.subnets: expected a list, got a string ("subnet-1")`,
      `${fixtures}/wrong-types/task-definition.json:3:63: containerDefinitions[0].essential: expected true or false, got a string ("yes")`,
    ]);
  });

  it("gives line and column for unreadable JSON", () => {
    expect(problemsOf(`${fixtures}/bad-json`)).toEqual([
      `${fixtures}/bad-json/service.json:3:3: invalid JSON: a comma is missing between two values`,
    ]);
  });

  it("rejects a trailing comma, which AWS's own parsers reject too", () => {
    expect(problemsOf(`${fixtures}/trailing-comma`)).toEqual([
      `${fixtures}/trailing-comma/service.json:3:1: invalid JSON: a property name in double quotes was expected (is there a trailing comma?)`,
    ]);
  });

  it("says an empty file is empty", () => {
    expect(problemsOf(`${fixtures}/empty`)).toEqual([
      `${fixtures}/empty/service.json: is empty; it must hold a JSON object with the shape of ECS CreateService input`,
    ]);
  });

  it("says which file is missing", () => {
    expect(problemsOf(`${fixtures}/missing-task-def`)).toEqual([
      `${fixtures}/missing-task-def/task-definition.json: file not found; a deploy context holds task-definition.json with the shape of ECS RegisterTaskDefinition input`,
    ]);
  });

  it("does not need task-definition.json when a task definition ARN is given", () => {
    const ctx = loadDeployContext(`${fixtures}/missing-task-def`, {
      env: {},
      taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
    });
    expect(ctx.taskDefinition).toBeUndefined();
    expect(ctx.service.serviceName).toBe("web");
  });

  it("says the folder does not exist", () => {
    expect(problemsOf("no/such/folder")).toEqual([
      "no/such/folder: deploy context folder not found; pass the folder that holds service.json and task-definition.json",
    ]);
  });

  it("says a file was given where a folder was expected", () => {
    expect(problemsOf(`${fixtures}/typo/service.json`)[0]).toMatch(
      /service\.json: is a file; a deploy context is a folder/,
    );
  });

  it("names every unset variable with its file and line, never inserting an empty string", () => {
    expect(problemsOf(`${fixtures}/templated`, { IMAGE_TAG: "v1" })).toEqual([
      `${fixtures}/templated/service.json:2: environment variable SERVICE_NAME is not set (used as \${SERVICE_NAME}); set it, or write $\${SERVICE_NAME} for a literal`,
      `${fixtures}/templated/task-definition.json:8: environment variable GREETING is not set (used as \${GREETING}); set it, or write $\${GREETING} for a literal`,
    ]);
  });

  it("inserts values JSON-escaped and keeps $${NAME} literal", () => {
    const ctx = loadDeployContext(`${fixtures}/templated`, {
      env: { SERVICE_NAME: "web", IMAGE_TAG: "v1", GREETING: 'say "hi" \\ bye' },
    });
    const env = ctx.taskDefinition?.containerDefinitions?.[0]?.environment;
    expect(env).toEqual([
      { name: "GREETING", value: 'say "hi" \\ bye' },
      { name: "LITERAL", value: "${NOT_A_VARIABLE}" },
    ]);
  });

  it("cannot be tricked into changing the JSON structure by a variable's value", () => {
    const ctx = loadDeployContext(`${fixtures}/templated`, {
      env: { SERVICE_NAME: 'web", "desiredCount": 99, "x": "', IMAGE_TAG: "v1", GREETING: "hi" },
    });
    expect(ctx.service.serviceName).toBe('web", "desiredCount": 99, "x": "');
    expect(ctx.service.desiredCount).toBeUndefined();
  });

  it("rejects defaults syntax, which canarycage never supported", () => {
    const dir = tempContext({
      "service.json": '{ "serviceName": "${NAME:-web}" }',
      "task-definition.json": MINIMAL_TASK_DEFINITION,
    });
    expect(problemsOf(dir)).toEqual([
      `${dir}/service.json:1: \${NAME:-web} is not a variable name; only \${NAME} is supported (no defaults), or write $\${...} for a literal`,
    ]);
  });

  it("reports a duplicate key, which JSON parsers would silently resolve", () => {
    expect(problemsOf(`${fixtures}/duplicate`)).toEqual([
      `${fixtures}/duplicate/service.json:3:3: serviceName: duplicate key; only one is used, remove the other`,
    ]);
  });

  it("reports members the API requires", () => {
    expect(problemsOf(`${fixtures}/no-service-name`)).toEqual([
      `${fixtures}/no-service-name/task-definition.json:1:1: family: is required but missing`,
    ]);
  });

  it("rejects a top-level value that is not an object", () => {
    const dir = tempContext({
      "service.json": "[1, 2]",
      "task-definition.json": MINIMAL_TASK_DEFINITION,
    });
    expect(problemsOf(dir)).toEqual([
      `${dir}/service.json: must hold a JSON object with the shape of ECS CreateService input`,
    ]);
  });

  it("rejects invalid UTF-8", () => {
    const dir = tempContext({
      "service.json": Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      "task-definition.json": MINIMAL_TASK_DEFINITION,
    });
    expect(problemsOf(dir)).toEqual([`${dir}/service.json: is not valid UTF-8 text; save it as UTF-8`]);
  });

  it("rejects a file over 1 MiB without parsing it", () => {
    const dir = tempContext({
      "service.json": `{ "serviceName": "${"x".repeat(1024 * 1024)}" }`,
      "task-definition.json": MINIMAL_TASK_DEFINITION,
    });
    expect(problemsOf(dir)[0]).toMatch(/service\.json: is 1\.0 MiB; a deploy-context file is at most 1 MiB$/);
  });

  it("rejects absurd nesting with a message, not a stack overflow", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const dir = tempContext({
      "service.json": `{ "serviceName": "web", "tags": ${deep} }`,
      "task-definition.json": MINIMAL_TASK_DEFINITION,
    });
    const problems = problemsOf(dir);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toMatch(/service\.json/);
  });
});
