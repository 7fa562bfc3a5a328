/** task-definition.json as `aws ecs describe-task-definition` prints it, and images set by container name. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDeployContext } from "../../src/context/load.js";
import { ENV, EXAMPLE, problemsOf, tempContext } from "./helpers.js";

const READ_ONLY = {
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
  revision: 7,
  status: "ACTIVE",
  requiresAttributes: [{ name: "com.amazonaws.ecs.capability.docker-remote-api.1.18" }],
  compatibilities: ["EC2", "FARGATE"],
  registeredAt: "2026-01-01T00:00:00.000Z",
  registeredBy: "arn:aws:iam::123456789012:user/ci",
};
const described = (wrapped: boolean, extra: object = {}) => {
  const td = { ...JSON.parse(EXAMPLE["task-definition.json"]), ...READ_ONLY };
  const text = wrapped ? { taskDefinition: td, tags: [{ key: "team", value: "web" }], ...extra } : td;
  return JSON.stringify(text, null, 2);
};
const plain = JSON.parse(EXAMPLE["task-definition.json"].replaceAll("${IMAGE_TAG}", "v2"));

describe("a described task definition", () => {
  it.each([
    ["with", true],
    ["without", false],
  ])("is read %s the wrapper, its read-only keys dropped with one notice", (_, wrapped) => {
    const dir = tempContext({ "task-definition.json": described(wrapped) });
    const context = loadDeployContext(dir, { env: ENV });
    const { tags, ...td } = context.taskDefinition as unknown as Record<string, unknown>;
    expect(td).toEqual(plain);
    expect(tags).toEqual(wrapped ? [{ key: "team", value: "web" }] : undefined);
    expect(context.notices).toEqual([
      `${join(dir, "task-definition.json")}: ignored taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt, registeredBy: ECS sets these on a registered revision, RegisterTaskDefinition does not take them`,
    ]);
  });

  it("has no notice when nothing was dropped", () => {
    expect(loadDeployContext(tempContext(), { env: ENV }).notices).toBeUndefined();
  });

  it("reports a problem inside the wrapper at its line, with the full JSON path", () => {
    const text = described(true).replace('"essential": true', '"essentail": true');
    const problems = problemsOf(tempContext({ "task-definition.json": text }));
    expect(problems).toEqual([
      expect.stringMatching(
        /task-definition\.json:\d+:\d+: taskDefinition\.containerDefinitions\[0\]\.essentail: unknown key; did you mean "essential"\?$/,
      ),
    ]);
  });

  it("refuses a key beside taskDefinition that describe-task-definition never prints", () => {
    const problems = problemsOf(tempContext({ "task-definition.json": described(true, { revison: 3 }) }));
    expect(problems).toEqual([expect.stringMatching(/: revison: unknown key beside taskDefinition/)]);
  });
});

describe("images by container", () => {
  const images = (entries: Record<string, string>) => ({
    label: "--image",
    byContainer: new Map(Object.entries(entries)),
  });

  it("replaces only the named containers' images, as given", () => {
    const context = loadDeployContext(tempContext(), { env: ENV, images: images({ "log-router": "fluent:${X}" }) });
    const byName = Object.fromEntries(
      context.taskDefinition?.containerDefinitions?.map((c) => [c.name, c.image]) ?? [],
    );
    expect(byName).toEqual({ app: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2", "log-router": "fluent:${X}" });
  });

  it("names the containers there are when one is not in the file", () => {
    const dir = tempContext();
    expect(problemsOf(dir, { images: images({ api: "x:1" }) })).toEqual([
      `--image: container 'api' is not in ${join(dir, "task-definition.json")}; its containers are: app, log-router`,
    ]);
  });
});
