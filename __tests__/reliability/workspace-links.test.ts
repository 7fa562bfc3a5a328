/**
 * Links, FIFOs and devices in the workspace, through the action's main step (INPUT_* and GITHUB_WORKSPACE as the
 * runner sets them) and through the CLI in a workflow (GITHUB_WORKSPACE set): a link that leads out of the workspace
 * is refused before anything is read, written or sent; the error names the input and the fix; nothing outside changes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { VirtualClock } from "../../src/sim/clock.js";
import { type RunningSimulator, serve } from "../../src/sim/serve.js";
import { World } from "../../src/sim/world/index.js";
import { demoStep } from "../action/demo-step.js";
import { setEnv, TEST_CREDENTIALS } from "../fixtures/env.js";
import { finish, tally } from "./tally.js";

tally.start("Links, FIFOs and devices in the workspace");

const read = (file: string) => readFileSync(join("deploy-example", file), "utf8");
const MARKER = "OUTSIDE-MARKER";
const OUTSIDE_SARIF = `${MARKER} sarif that must stay as it is\n`;

interface Layout {
  workspace: string;
  deploy: string;
  outside: string;
}

/** A workspace with the example's deploy context in `deploy/`, and a folder outside it whose files hold a marker. */
function layout(): Layout {
  const root = mkdtempSync(join(tmpdir(), "cage-ws-"));
  const workspace = join(root, "workspace");
  const deploy = join(workspace, "deploy");
  const outside = join(root, "outside");
  mkdirSync(deploy, { recursive: true });
  mkdirSync(outside);
  for (const file of ["service.json", "task-definition.json"]) {
    writeFileSync(join(deploy, file), read(file));
    writeFileSync(join(outside, file), read(file).replace('"web"', `"${MARKER}"`));
  }
  writeFileSync(join(outside, "ignore.yml"), `- id: ${MARKER}\n  unknownKey: ${MARKER}\n`);
  writeFileSync(join(outside, "results.sarif"), OUTSIDE_SARIF);
  return { workspace, deploy, outside };
}

const replaceWith = (path: string, make: (path: string) => void) => {
  rmSync(path, { force: true });
  make(path);
};
const linkTo = (target: string) => (path: string) => symlinkSync(target, path);
const fifo = (path: string) => execFileSync("mkfifo", [path]);

interface Case {
  name: string;
  /** Changes the layout; returns the action inputs (paths absolute, inside the workspace as written). */
  arrange: (l: Layout) => Record<string, string>;
  /** What the step's error must say: the input or file, and the fix. */
  says: RegExp;
}

const ACTION_CASES: Case[] = [
  {
    name: "a sarif-file that links to a file outside",
    arrange: (l) => {
      symlinkSync(join(l.outside, "results.sarif"), join(l.workspace, "results.sarif"));
      return { command: "audit", "sarif-file": join(l.workspace, "results.sarif") };
    },
    says: /'sarif-file' is '.*results\.sarif', which leads outside the workspace .* through a symbolic link, so it was not used; name a path in the repository that is not a link out of it/,
  },
  {
    name: "a sarif-file that is a dangling link to a path outside",
    arrange: (l) => {
      symlinkSync(join(l.outside, "new.sarif"), join(l.workspace, "new.sarif"));
      return { command: "audit", "sarif-file": join(l.workspace, "new.sarif") };
    },
    says: /'sarif-file' .* through a symbolic link/,
  },
  {
    name: "a sarif-file in a folder that links outside",
    arrange: (l) => {
      symlinkSync(l.outside, join(l.workspace, "reports"));
      return { command: "audit", "sarif-file": join(l.workspace, "reports", "results.sarif") };
    },
    says: /'sarif-file' .* through a symbolic link/,
  },
  {
    name: "a deploy-context folder that links outside",
    arrange: (l) => {
      symlinkSync(l.outside, join(l.workspace, "linked"));
      return { "deploy-context": join(l.workspace, "linked") };
    },
    says: /'deploy-context' is '.*linked', which leads outside the workspace .* through a symbolic link/,
  },
  {
    name: "a service.json that links outside",
    arrange: (l) => {
      replaceWith(join(l.deploy, "service.json"), linkTo(join(l.outside, "service.json")));
      return {};
    },
    says: /deploy\/service\.json: is a link that leads outside the workspace, so it was not read; put the file itself here/,
  },
  {
    name: "a task-definition.json that links outside",
    arrange: (l) => {
      replaceWith(join(l.deploy, "task-definition.json"), linkTo(join(l.outside, "task-definition.json")));
      return {};
    },
    says: /deploy\/task-definition\.json: is a link that leads outside the workspace, so it was not read/,
  },
  {
    name: "an ignore-file that links to /etc/passwd",
    arrange: (l) => {
      symlinkSync("/etc/passwd", join(l.workspace, "ignore.yml"));
      return { command: "audit", "ignore-file": join(l.workspace, "ignore.yml") };
    },
    says: /'ignore-file' is '.*ignore\.yml', which leads outside the workspace .* through a symbolic link/,
  },
  {
    name: "an ignore file found in the deploy context that links outside",
    arrange: (l) => {
      symlinkSync(join(l.outside, "ignore.yml"), join(l.deploy, ".cage-audit-ignore.yml"));
      return { command: "audit" };
    },
    says: /\.cage-audit-ignore\.yml.*it is a link that leads outside the workspace, so it was not read/,
  },
  {
    name: "a service.json that is a FIFO",
    arrange: (l) => {
      replaceWith(join(l.deploy, "service.json"), fifo);
      return {};
    },
    says: /deploy\/service\.json: is not a regular file \(a FIFO, device or socket\), so it was not read; put a JSON file here/,
  },
  {
    name: "a task-definition.json that links to /dev/zero",
    arrange: (l) => {
      replaceWith(join(l.deploy, "task-definition.json"), linkTo("/dev/zero"));
      return {};
    },
    // /dev is outside the workspace: the link is refused before the device could be opened.
    says: /deploy\/task-definition\.json: is a link that leads outside the workspace, so it was not read/,
  },
];

/** Nothing of the outside folder changed, and nothing read from it (or from /etc/passwd) reached any output. */
function expectOutsideUntouched(l: Layout, texts: string[]): void {
  expect(readFileSync(join(l.outside, "results.sarif"), "utf8")).toBe(OUTSIDE_SARIF);
  expect(existsSync(join(l.outside, "new.sarif"))).toBe(false);
  for (const text of texts) {
    expect(text).not.toContain(MARKER);
    expect(text).not.toMatch(/root:x?:0:0/);
  }
}

describe("the action, with GITHUB_WORKSPACE", () => {
  it.each(ACTION_CASES)("$name: refused before any AWS call, nothing outside read or written", async (c) => {
    const l = layout();
    const inputs = { command: "rollout", "deploy-context": l.deploy, ...c.arrange(l) };
    const { sim, step } = demoStep(inputs, { env: { GITHUB_WORKSPACE: l.workspace } });
    const run = await step;
    const calls = sim.journal.calls().length;
    tally.scenario(0);
    tally.invariants(2, (calls > 0 ? 1 : 0) + (run.exitCode === 1 ? 0 : 1));
    expect(run.exitCode).toBe(1);
    const error = run.stdout.split("\n").find((line) => line.startsWith("::error")) ?? "";
    expect(error).toMatch(c.says);
    expect(calls).toBe(0);
    expectOutsideUntouched(l, [run.stdout, run.summary, JSON.stringify(run.outputs)]);
  });
});

let server: RunningSimulator;
let restoreEnv = () => {};

beforeAll(async () => {
  restoreEnv = setEnv(TEST_CREDENTIALS);
  server = await serve({
    worldFile: "deploy-example/world.json",
    loadWorld: (json, source, clock) => World.fromJson(json, source, { clock }),
    log: () => {},
  });
});

afterAll(async () => {
  await server.close();
  restoreEnv();
  tally.row("action inputs and files", ACTION_CASES.length);
  tally.row("CLI arguments and files", CLI_CASES.length);
  const stale = finish("workspace-links", ACTION_CASES.length + CLI_CASES.length);
  if (stale) throw new Error(stale);
});

interface CliCase {
  name: string;
  /** Changes the layout; returns the command line after the command's region and endpoint. */
  arrange: (l: Layout) => string[];
  says: RegExp;
}

const CLI_CASES: CliCase[] = [
  {
    name: "rollout: a service.json that links outside",
    arrange: (l) => {
      replaceWith(join(l.deploy, "service.json"), linkTo(join(l.outside, "service.json")));
      return ["rollout", l.deploy];
    },
    says: /deploy\/service\.json: is a link that leads outside the workspace, so it was not read; put the file itself here/,
  },
  {
    name: "rollout: a deploy context folder that links outside",
    arrange: (l) => {
      symlinkSync(l.outside, join(l.workspace, "linked"));
      return ["rollout", join(l.workspace, "linked")];
    },
    says: /linked: the deploy context folder is a link that leads outside the workspace, so it was not read; name a folder in the repository/,
  },
  {
    name: "rollout: a --summary that links outside",
    arrange: (l) => {
      symlinkSync(join(l.outside, "results.sarif"), join(l.workspace, "summary.md"));
      return ["rollout", l.deploy, "--summary", join(l.workspace, "summary.md")];
    },
    says: /--summary is '.*summary\.md', which leads outside the workspace .* through a symbolic link; nothing was run or written\. Name a file that is not a link out of the workspace/,
  },
  {
    name: "audit: a --sarif that links outside",
    arrange: (l) => {
      symlinkSync(join(l.outside, "results.sarif"), join(l.workspace, "results.sarif"));
      return ["audit", l.deploy, "--sarif", join(l.workspace, "results.sarif")];
    },
    says: /--sarif is '.*results\.sarif', which leads outside the workspace .* through a symbolic link; nothing was run or written/,
  },
  {
    name: "audit: an --ignore-file in the workspace that links to /etc/passwd",
    arrange: (l) => {
      symlinkSync("/etc/passwd", join(l.workspace, "ignore.yml"));
      return ["audit", l.deploy, "--ignore-file", join(l.workspace, "ignore.yml")];
    },
    says: /ignore\.yml.*the ignore file cannot be read: it is a link that leads outside the workspace, so it was not read/,
  },
  {
    name: "audit: --ignore-file /dev/zero",
    arrange: (l) => ["audit", l.deploy, "--ignore-file", "/dev/zero"],
    says: /\/dev\/zero.*the ignore file cannot be read: it is not a regular file \(a FIFO, device or socket\)/,
  },
  {
    name: "rollout: a task-definition.json that is a FIFO",
    arrange: (l) => {
      replaceWith(join(l.deploy, "task-definition.json"), fifo);
      return ["rollout", l.deploy];
    },
    says: /deploy\/task-definition\.json: is not a regular file \(a FIFO, device or socket\), so it was not read/,
  },
];

describe("the CLI in a workflow (GITHUB_WORKSPACE set)", () => {
  it.each(CLI_CASES)("$name: exit 2 before any AWS call, nothing outside read or written", async (c) => {
    const l = layout();
    const [command, ...rest] = c.arrange(l);
    const out: string[] = [];
    const err: string[] = [];
    const before = server.sim.journal.calls().length;
    const code = await runCli([command as string, "--region", "us-east-1", "--endpoint-url", server.url, ...rest], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { IMAGE_TAG: "v2", GITHUB_WORKSPACE: l.workspace },
      clock: new VirtualClock(),
    });
    const calls = server.sim.journal.calls().length - before;
    tally.scenario(0);
    tally.invariants(2, (calls > 0 ? 1 : 0) + (code === 2 ? 0 : 1));
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(c.says);
    expect(calls).toBe(0);
    expectOutsideUntouched(l, [...out, ...err]);
  });
});
