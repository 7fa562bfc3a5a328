/**
 * Keys that name JavaScript's object machinery, and values of the wrong shape: each is a problem naming the file,
 * line and JSON path, never a change to what the loaded context means and never a crash.
 */
import { describe, expect, it } from "vitest";
import { loadDeployContext } from "../../src/context/load.js";
import { ENV, problemsOf, tempContext } from "./helpers.js";

const td = (container: string) =>
  `{\n  "family": "web",\n  "containerDefinitions": [\n    { "name": "app", "image": "web:1", ${container} }\n  ]\n}\n`;

describe("keys JavaScript gives a meaning", () => {
  it.each(["__proto__", "constructor", "prototype"])(
    "refuses %s in a container, with file, line, column and path",
    (key) => {
      const dir = tempContext({ "task-definition.json": td(`"${key}": { "privileged": true, "user": "root" }`) });
      expect(problemsOf(dir)).toEqual([
        `${dir}/task-definition.json:4:40: containerDefinitions[0].${key}: this key is refused (no ECS input has it, and JavaScript gives it a special meaning); remove it`,
      ]);
    },
  );

  it("refuses __proto__ at the top level, so it cannot lend the file fields it does not have", () => {
    const dir = tempContext({
      "task-definition.json": '{ "family": "web", "__proto__": { "containerDefinitions": { "find": 1 } } }',
    });
    expect(problemsOf(dir)).toEqual([
      `${dir}/task-definition.json:1:20: __proto__: this key is refused (no ECS input has it, and JavaScript gives it a special meaning); remove it`,
      `${dir}/task-definition.json:1:1: containerDefinitions: is required but missing`,
    ]);
  });

  it("reports the other problems of the file at the same time", () => {
    const dir = tempContext({ "task-definition.json": td('"__proto__": { "privileged": true }, "essentail": true') });
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/task-definition\.json:4:40: containerDefinitions\[0\]\.__proto__: this key is refused/),
      expect.stringMatching(
        /task-definition\.json:4:\d+: containerDefinitions\[0\]\.essentail: unknown key; did you mean "essential"\?$/,
      ),
    ]);
  });

  it("refuses such keys inside free-form maps too (docker labels, log options)", () => {
    const dir = tempContext({ "task-definition.json": td('"dockerLabels": { "constructor": "x" }') });
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(
        /task-definition\.json:4:\d+: containerDefinitions\[0\]\.dockerLabels\.constructor: this key is refused/,
      ),
    ]);
  });

  it.each(["toString", "hasOwnProperty", "valueOf", "isPrototypeOf"])(
    "treats %s as the unknown key it is, not as a method of the object",
    (key) => {
      const dir = tempContext({ "task-definition.json": td(`"${key}": 1`) });
      const [problem, ...rest] = problemsOf(dir);
      expect(rest).toEqual([]);
      expect(problem).toMatch(
        new RegExp(`^${dir}/task-definition\\.json:4:40: containerDefinitions\\[0\\]\\.${key}: unknown key; `),
      );
    },
  );

  it("loads into objects without a prototype: a key is data, whatever its name", () => {
    const ctx = loadDeployContext(tempContext(), { env: ENV });
    const container = ctx.taskDefinition?.containerDefinitions?.[0] as object;
    expect(Object.getPrototypeOf(ctx.service)).toBeNull();
    expect(Object.getPrototypeOf(container)).toBeNull();
    expect("toString" in container).toBe(false);
  });
});

describe("values of the wrong shape", () => {
  it.each([
    [
      "containerDefinitions an object",
      '"containerDefinitions": { "name": "app" }',
      "containerDefinitions: expected a list, got an object",
    ],
    [
      "containerDefinitions a string",
      '"containerDefinitions": "app"',
      'containerDefinitions: expected a list, got a string ("app")',
    ],
    [
      "containerDefinitions null",
      '"containerDefinitions": null',
      "containerDefinitions: is null; remove the key or give a list",
    ],
    [
      "portMappings a number",
      '"containerDefinitions": [{ "name": "app", "image": "x", "portMappings": 5 }]',
      "containerDefinitions[0].portMappings: expected a list, got a number (5)",
    ],
    [
      "a container null",
      '"containerDefinitions": [null]',
      "containerDefinitions[0]: is null; remove the key or give an object",
    ],
  ])("%s is a problem with its path", (_, member, message) => {
    const dir = tempContext({ "task-definition.json": `{ "family": "web", ${member} }` });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(new RegExp(`^${dir}/task-definition\\.json:1:\\d+: `))]);
    expect(problemsOf(dir)[0]).toContain(message);
  });

  it.each([
    ["loadBalancers an object", '"loadBalancers": {}', "loadBalancers: expected a list, got an object"],
    [
      "networkConfiguration null",
      '"networkConfiguration": null',
      "networkConfiguration: is null; remove the key or give an object",
    ],
    [
      "subnets a string",
      '"networkConfiguration": { "awsvpcConfiguration": { "subnets": "subnet-1" } }',
      'networkConfiguration.awsvpcConfiguration.subnets: expected a list, got a string ("subnet-1")',
    ],
  ])("service.json: %s is a problem with its path", (_, member, message) => {
    const dir = tempContext({ "service.json": `{ "serviceName": "web", ${member} }` });
    expect(problemsOf(dir)).toEqual([expect.stringContaining(message)]);
    expect(problemsOf(dir)[0]).toMatch(new RegExp(`^${dir}/service\\.json:1:\\d+: `));
  });
});
