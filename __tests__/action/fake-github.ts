/**
 * A loopback HTTP server standing in for the GitHub REST API (issues, comments, deployments). Every request is checked
 * against GitHub's published OpenAPI description (@octokit/openapi): the route and method exist, the query parameters
 * are declared, and the JSON body fits the request schema. Mismatches are collected in `violations`.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

type Schema = Record<string, any>;
const require = createRequire(import.meta.url);
let spec: Schema | undefined;
function openapi(): Schema {
  spec ??= JSON.parse(
    readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8"),
  ) as Schema;
  return spec;
}

function resolve(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  while (s?.$ref) {
    s = (s.$ref as string)
      .slice(2)
      .split("/")
      .reduce<any>((node, key) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], openapi());
  }
  return s;
}

/** Problems of `value` against `schema` (a subset of JSON Schema: enough for GitHub's request bodies). */
export function schemaProblems(value: unknown, schemaIn: Schema | undefined, at = "body"): string[] {
  const schema = resolve(schemaIn);
  if (!schema) return [];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    return (alternatives as Schema[]).some((alt) => schemaProblems(value, alt, at).length === 0)
      ? []
      : [`${at}: matches none of oneOf/anyOf`];
  }
  if (value === null) return schema.nullable || schema.type === "null" ? [] : [`${at}: null not allowed`];
  const types = ([] as string[]).concat(schema.type ?? []);
  const actual = Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
  if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
    return [`${at}: expected ${types.join("|")}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value))
    return [`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`];
  const problems: string[] = [];
  if (actual === "array" && schema.items) {
    for (const [i, item] of (value as unknown[]).entries())
      problems.push(...schemaProblems(item, schema.items, `${at}[${i}]`));
  }
  if (actual === "object" && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) problems.push(`${at}.${name}: required`);
    for (const [name, v] of Object.entries(object)) {
      if (!(name in schema.properties)) problems.push(`${at}.${name}: not in the schema`);
      else problems.push(...schemaProblems(v, schema.properties[name], `${at}.${name}`));
    }
  }
  return problems;
}

function operationOf(method: string, path: string): { operation?: Schema; template?: string } {
  for (const [template, item] of Object.entries(openapi().paths as Record<string, Schema>)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(path) && item[method]) return { operation: item[method], template };
  }
  return {};
}

export function requestProblems(method: string, url: URL, body: unknown): string[] {
  const { operation, template } = operationOf(method.toLowerCase(), url.pathname);
  if (!operation) return [`${method} ${url.pathname}: no such operation in GitHub's OpenAPI description`];
  const problems: string[] = [];
  const parameters = (operation.parameters ?? []).map((p: Schema) => resolve(p) as Schema);
  for (const name of url.searchParams.keys()) {
    if (!parameters.some((p: Schema) => p.in === "query" && p.name === name))
      problems.push(`${template}: query '${name}' not declared`);
  }
  const schema = operation.requestBody?.content?.["application/json"]?.schema;
  if (body !== undefined) problems.push(...schemaProblems(body, schema).map((p) => `${method} ${template}: ${p}`));
  else if (operation.requestBody?.required) problems.push(`${method} ${template}: body required`);
  return problems;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: "Bot" | "User" };
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  state_reason?: string;
}

export class FakeGitHub {
  readonly comments = new Map<number, FakeComment[]>();
  readonly issues: FakeIssue[] = [];
  readonly deployments: { id: number; ref: string; environment: string }[] = [];
  readonly statuses: { deployment: number; state: string; description?: string; log_url?: string }[] = [];
  readonly requests: string[] = [];
  readonly violations: string[] = [];
  /** Writes answer 403, as for a fork PR's or a read-only token. */
  readOnly = false;
  private nextId = 1000;
  private readonly routes: [string, RegExp, (ids: number[], body: any, url: URL) => [number, unknown]][] = [
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/,
      ([issue]) => [200, this.comments.get(issue as number) ?? []],
    ],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/,
      ([issue], body) => {
        const comment: FakeComment = {
          id: this.nextId++,
          body: body.body,
          user: { login: "github-actions[bot]", type: "Bot" },
        };
        this.comments.set(issue as number, [...(this.comments.get(issue as number) ?? []), comment]);
        return [201, comment];
      },
    ],
    [
      "PATCH",
      /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/,
      ([id], body) => {
        const comment = [...this.comments.values()].flat().find((c) => c.id === id);
        if (!comment) return [404, { message: "Not Found" }];
        comment.body = body.body;
        return [200, comment];
      },
    ],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/issues$/,
      (_, __, url) => {
        const label = url.searchParams.get("labels");
        return [200, this.issues.filter((i) => i.state === "open" && (!label || i.labels.includes(label)))];
      },
    ],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/issues$/,
      (_, body) => {
        const issue: FakeIssue = {
          number: this.issues.length + 1,
          title: body.title,
          body: body.body,
          labels: body.labels ?? [],
          state: "open",
        };
        this.issues.push(issue);
        return [201, issue];
      },
    ],
    [
      "PATCH",
      /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/,
      ([number], body) => {
        const issue = this.issues.find((i) => i.number === number);
        if (!issue) return [404, { message: "Not Found" }];
        Object.assign(issue, body);
        return [200, issue];
      },
    ],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/deployments$/,
      (_, body) => {
        const deployment = { id: this.nextId++, ref: body.ref, environment: body.environment };
        this.deployments.push(deployment);
        return [201, deployment];
      },
    ],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/,
      ([deployment], body) => {
        this.statuses.push({
          deployment: deployment as number,
          state: body.state,
          description: body.description,
          log_url: body.log_url,
        });
        return [201, { id: this.nextId++, state: body.state }];
      },
    ],
  ];
  private server = createServer((req, res) => void this.handle(req, res));
  url = "";

  async start(): Promise<this> {
    await new Promise<void>((ok) => this.server.listen(0, "127.0.0.1", ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", this.url);
    const body = text ? JSON.parse(text) : undefined;
    const method = req.method ?? "GET";
    this.requests.push(`${method} ${url.pathname}`);
    this.violations.push(...requestProblems(method, url, body));
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    if (method !== "GET" && this.readOnly) return send(403, { message: "Resource not accessible by integration" });
    for (const [verb, pattern, answer] of this.routes) {
      const match = pattern.exec(url.pathname);
      if (verb !== method || !match) continue;
      const [status, data] = answer(match.slice(1).map(Number), body, url);
      return send(status, data);
    }
    send(404, { message: "Not Found" });
  }
}
