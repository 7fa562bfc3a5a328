/**
 * Malformed inputs made by mutating good ones: every leaf of the example deploy context with a wrong type, an
 * unknown key in every object, required members removed, duplicate keys, truncations, and whole-file damage
 * (huge, deeply nested, invalid UTF-8); then bad flags and environment values; then broken world files.
 */
import { readFileSync } from "node:fs";

export interface FileCase {
  kind: string;
  name: string;
  file: "service.json" | "task-definition.json";
  /** The bytes to write. */
  bytes: Buffer;
  /** Where the error must point: a JSON path or a `:line` fragment. */
  where: RegExp;
}

const read = (file: string) => readFileSync(new URL(`../../deploy-example/${file}`, import.meta.url), "utf8");
export const GOOD = { "service.json": read("service.json"), "task-definition.json": read("task-definition.json") };

type Json = unknown;
type Path = (string | number)[];

function leaves(value: Json, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [path];
}

function objects(value: Json, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objects(v, [...path, i]));
  if (value && typeof value === "object") {
    return [path, ...Object.entries(value).flatMap(([k, v]) => objects(v, [...path, k]))];
  }
  return [];
}

function setAt(root: Json, path: Path, value: Json): Json {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last === undefined) return value;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function getAt(root: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

const show = (path: Path) =>
  path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out ? `${out}.${p}` : String(p)), "");
const pathPattern = (path: Path) => new RegExp(show(path).replace(/[.[\]]/g, "\\$&"));

/** A value of another JSON type; strings that hold a template stay strings, since the template is the point. */
function wrongType(value: Json): Json {
  if (typeof value === "string") return 42;
  if (typeof value === "number") return "forty-two";
  if (typeof value === "boolean") return "yes";
  return null;
}

const json = (v: Json) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);

export function contextCorpus(): FileCase[] {
  const cases: FileCase[] = [];
  for (const file of ["service.json", "task-definition.json"] as const) {
    const good = JSON.parse(GOOD[file]) as Json;
    for (const path of leaves(good)) {
      // Free-form maps (log options, tags' values) are strings by schema too, so every leaf must be checked.
      cases.push({
        kind: "wrong type",
        name: `${file} ${show(path)} as ${typeof wrongType(getAt(good, path))}`,
        file,
        bytes: json(setAt(good, path, wrongType(getAt(good, path)))),
        where: pathPattern(path),
      });
    }
    for (const path of objects(good)) {
      if (path.length > 0 && /^(options|dockerLabels)$/.test(String(path[path.length - 1]))) continue;
      cases.push({
        kind: "unknown key",
        name: `${file} ${show(path) || "(top level)"} + unknownSetting`,
        file,
        bytes: json(setAt(good, [...path, "unknownSetting"], true)),
        where: /unknownSetting/,
      });
    }
    for (const path of objects(good).filter((p) => p.length > 0 && typeof p[p.length - 1] !== "number")) {
      const node = getAt(good, path) as Record<string, unknown>;
      const first = Object.keys(node)[0];
      if (!first) continue;
      const text = JSON.stringify(good, null, 2);
      const key = `"${first}": ${JSON.stringify(node[first])}`;
      const at = text.indexOf(key);
      if (at < 0) continue;
      cases.push({
        kind: "duplicate key",
        name: `${file} ${show(path)}.${first} twice`,
        file,
        bytes: Buffer.from(`${text.slice(0, at)}${key}, ${text.slice(at)}`),
        where: /duplicate key/,
      });
    }
    const text = GOOD[file];
    for (let i = 1; i <= 12; i++) {
      const cut = Math.floor((text.length * i) / 13);
      cases.push({
        kind: "truncated",
        name: `${file} cut at byte ${cut}`,
        file,
        bytes: Buffer.from(text.slice(0, cut)),
        where: new RegExp(`${file.replace(".", "\\.")}:\\d+:\\d+`),
      });
    }
    const whole: [string, Buffer, RegExp][] = [
      ["huge (2 MiB)", Buffer.from(`{"family": "${"x".repeat(2 * 1024 * 1024)}"}`), /at most 1 MiB/],
      ["deeply nested", Buffer.from(`{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`), /nested too deeply/],
      [
        "invalid UTF-8",
        Buffer.concat([Buffer.from('{"family": "we'), Buffer.from([0xc3, 0x28]), Buffer.from('b"}')]),
        /UTF-8/,
      ],
      ["empty", Buffer.from(""), /empty/],
      ["a JSON array", Buffer.from("[]"), /JSON object/],
      ["comments", Buffer.from(`// deploy\n${text}`), /comments/],
      ["trailing garbage", Buffer.from(`${text}\n}`), /more text/],
      ["NUL bytes", Buffer.from(`{"family": "web\u0000"}\u0000`), /:1:\d+: invalid JSON: a control character/],
    ];
    for (const [name, bytes, where] of whole)
      cases.push({ kind: "damaged file", name: `${file} ${name}`, file, bytes, where });
  }
  const td = JSON.parse(GOOD["task-definition.json"]) as Json;
  for (const path of [["family"], ["containerDefinitions"]] as Path[]) {
    cases.push({
      kind: "missing field",
      name: `task-definition.json without ${show(path)}`,
      file: "task-definition.json",
      bytes: json(setAt(td, path, undefined)),
      where: new RegExp(String(path[path.length - 1])),
    });
  }
  cases.push(...keyAndRuleCases(td));
  return cases;
}

/** Keys JavaScript gives a meaning, enum values ECS does not know, and ECS's task definition rules. */
function keyAndRuleCases(td: Json): FileCase[] {
  const cases: FileCase[] = [];
  const text = GOOD["task-definition.json"];
  const container = text.indexOf('"name": "app"');
  for (const key of ["__proto__", "constructor", "prototype", "toString"]) {
    cases.push({
      kind: "reserved key",
      name: `task-definition.json containerDefinitions[0].${key}`,
      file: "task-definition.json",
      bytes: Buffer.from(`${text.slice(0, container)}"${key}": { "privileged": true }, ${text.slice(container)}`),
      where: new RegExp(`:\\d+:\\d+: containerDefinitions\\[0\\]\\.${key}: `),
    });
  }
  const service = JSON.parse(GOOD["service.json"]) as Json;
  const enums: [FileCase["file"], Json, Path, string][] = [
    ["service.json", service, ["launchType"], "SPOT"],
    ["service.json", service, ["propagateTags"], "ALL"],
    ["task-definition.json", td, ["networkMode"], "vpc"],
    ["task-definition.json", td, ["runtimePlatform", "cpuArchitecture"], "RISCV"],
    ["task-definition.json", td, ["containerDefinitions", 0, "portMappings", 0, "protocol"], "sctp"],
  ];
  for (const [file, good, path, value] of enums) {
    cases.push({
      kind: "enum value",
      name: `${file} ${show(path)} ${value}`,
      file,
      bytes: json(setAt(good, path, value)),
      where: new RegExp(`${pathPattern(path).source}: "${value}" is not an allowed value`),
    });
  }
  const rules: [Path, Json][] = [
    [["memory"], "abc"],
    [["cpu"], "lots"],
    [["executionRoleArn"], "not-an-arn"],
    [["containerDefinitions", 0, "essential"], false],
    [["containerDefinitions", 0, "dependsOn"], [{ containerName: "db", condition: "START" }]],
    [["containerDefinitions", 0, "healthCheck", "interval"], 0],
    [["containerDefinitions", 1, "image"], ""],
  ];
  for (const [path, value] of rules) {
    cases.push({
      kind: "ECS rule",
      name: `task-definition.json ${show(path)} ${JSON.stringify(value)}`,
      file: "task-definition.json",
      bytes: json(setAt(td, path, value)),
      where: /task-definition\.json:\d+:\d+: /,
    });
  }
  return cases;
}

export interface FlagCase {
  kind: string;
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** The input the error must name. */
  names: RegExp;
}

const DURATIONS = [
  "canary-task-idle-duration",
  "task-running-timeout",
  "container-health-timeout",
  "target-health-timeout",
  "task-stopped-timeout",
  "deployment-timeout",
  "timeout",
];
const BAD_DURATIONS = ["soon", "-5s", "1y", "10 m", "1.5.3m", "5s5", "∞", "0x10s"];

export function flagCorpus(): FlagCase[] {
  const cases: FlagCase[] = [];
  for (const flag of DURATIONS) {
    for (const bad of BAD_DURATIONS) {
      cases.push({
        kind: "invalid duration",
        name: `--${flag}=${bad}`,
        argv: [`--${flag}=${bad}`],
        names: new RegExp(`--${flag}`),
      });
    }
  }
  cases.push(
    {
      kind: "invalid duration",
      name: "CAGE_TIMEOUT=forever",
      argv: [],
      env: { CAGE_TIMEOUT: "forever" },
      names: /CAGE_TIMEOUT/,
    },
    { kind: "invalid boolean", name: "--wait-if-busy=maybe", argv: ["--wait-if-busy=maybe"], names: /--wait-if-busy/ },
    { kind: "invalid boolean", name: "--update-service=2", argv: ["--update-service=2"], names: /--update-service/ },
    {
      kind: "invalid boolean",
      name: "CAGE_UPDATE_SERVICE=yes please",
      argv: [],
      env: { CAGE_UPDATE_SERVICE: "yes please" },
      names: /CAGE_UPDATE_SERVICE/,
    },
    {
      kind: "invalid choice",
      name: "--on-deployment-failure=ignore",
      argv: ["--on-deployment-failure=ignore"],
      names: /--on-deployment-failure/,
    },
    { kind: "invalid region", name: "--region=mars-1", argv: ["--region=mars-1"], names: /--region/ },
    {
      kind: "invalid URL",
      name: "--endpoint-url=localhost",
      argv: ["--endpoint-url=localhost"],
      names: /AWS_ENDPOINT_URL|endpoint/,
    },
    { kind: "unknown flag", name: "--canary-idle=5s", argv: ["--canary-idle=5s"], names: /--canary-idle/ },
    { kind: "missing value", name: "--cluster with no value", argv: ["--cluster"], names: /--cluster/ },
  );
  const arns: [string, string][] = [
    ["another region", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3"],
    ["another service", "arn:aws:iam::123456789012:role/web-task"],
    ["a service, not a task definition", "arn:aws:ecs:us-east-1:123456789012:service/production/web"],
    ["no revision", "arn:aws:ecs:us-east-1:123456789012:task-definition/web"],
    ["not an ARN", "web:latest"],
    ["shell text", "web:1; rm -rf /"],
  ];
  for (const [what, arn] of arns) {
    cases.push({
      kind: "bad ARN",
      name: `--task-definition-arn from ${what}`,
      argv: [`--task-definition-arn=${arn}`],
      names: /--task-definition-arn/,
    });
  }
  const instances: [string, string][] = [
    [
      "another region",
      "arn:aws:ecs:eu-west-1:123456789012:container-instance/production/0123456789abcdef0123456789abcdef",
    ],
    ["an EC2 ARN", "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"],
    ["garbage", "i-xyz"],
  ];
  for (const [what, arn] of instances) {
    cases.push({
      kind: "bad ARN",
      name: `--canary-instance-arn from ${what}`,
      argv: [`--canary-instance-arn=${arn}`],
      names: /--canary-instance-arn/,
    });
  }
  cases.push(
    {
      kind: "bad path",
      name: "a deploy context folder that does not exist",
      argv: ["--", "../../no/such/folder"],
      names: /no\/such\/folder/,
    },
    {
      kind: "bad path",
      name: "a file as the deploy context",
      argv: ["--", "deploy-example/service.json"],
      names: /service\.json/,
    },
  );
  return cases;
}
