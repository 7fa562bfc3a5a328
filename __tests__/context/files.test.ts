/**
 * What the loader reads: regular files only (a FIFO or a device would block or never end), at most 1 MiB counted
 * while reading and again after `${VAR}` substitution, and, with a workspace, nothing a link leads out of it to.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDeployContext } from "../../src/context/load.js";
import { renderTemplate } from "../../src/context/template.js";
import { ENV, EXAMPLE, problemsOf, tempContext } from "./helpers.js";

/** A workspace holding a deploy context folder `deploy`, and a folder outside it with a file of a secret marker. */
function workspaceWithOutside() {
  const root = mkdtempSync(join(tmpdir(), "cage-links-"));
  const workspace = join(root, "workspace");
  const deploy = join(workspace, "deploy");
  const outside = join(root, "outside");
  mkdirSync(deploy, { recursive: true });
  mkdirSync(outside);
  for (const [name, text] of Object.entries(EXAMPLE)) {
    writeFileSync(join(deploy, name), text);
    writeFileSync(join(outside, name), text.replace('"web"', '"OUTSIDE-MARKER"'));
  }
  return { workspace, deploy, outside };
}

describe("files that are not regular files", () => {
  it("refuses a FIFO at once instead of waiting for a writer", () => {
    const dir = tempContext({ "service.json": undefined });
    execFileSync("mkfifo", [join(dir, "service.json")]);
    expect(problemsOf(dir)).toEqual([
      `${dir}/service.json: is not a regular file (a FIFO, device or socket), so it was not read; put a JSON file here`,
    ]);
  });

  it("refuses a link to /dev/zero instead of reading it forever", () => {
    const dir = tempContext({ "task-definition.json": undefined });
    symlinkSync("/dev/zero", join(dir, "task-definition.json"));
    expect(problemsOf(dir)).toEqual([
      `${dir}/task-definition.json: is not a regular file (a FIFO, device or socket), so it was not read; put a JSON file here`,
    ]);
  });

  it.skipIf(!existsSync("/proc/kallsyms"))(
    "stops reading at 1 MiB a file whose size the system reports as 0 (/proc/kallsyms)",
    () => {
      const dir = tempContext({ "service.json": undefined });
      symlinkSync("/proc/kallsyms", join(dir, "service.json"));
      expect(problemsOf(dir)).toEqual([
        expect.stringMatching(/service\.json: is 1\.0 MiB; a deploy-context file is at most 1 MiB$/),
      ]);
    },
  );
});

describe("templated output", () => {
  it("refuses a file that passes 1 MiB once its variables are filled in", () => {
    const dir = tempContext({
      "service.json": `{ "serviceName": "web", "tags": [${Array(12).fill('{ "key": "k", "value": "${BIG}" }').join(", ")}] }`,
    });
    expect(problemsOf(dir, { env: { ...ENV, BIG: "x".repeat(100_000) } })).toEqual([
      `${dir}/service.json: is over 1 MiB once its \${...} variables are filled in; a deploy-context file is at most 1 MiB`,
    ]);
  });

  it("stops building the output at the limit", () => {
    const rendered = renderTemplate("${A}".repeat(1000), { A: "y".repeat(1000) }, 10_000);
    expect(rendered).toEqual({ text: "", missing: [], tooLarge: true });
  });

  it("takes only the environment's own string values: ${constructor} is not set", () => {
    expect(renderTemplate('{"a": "${constructor}", "b": "${toString}"}', { A: "1" }).missing).toEqual([
      { name: "constructor", line: 1 },
      { name: "toString", line: 1 },
    ]);
  });
});

describe("links, with a workspace", () => {
  it.each(["service.json", "task-definition.json"])("refuses %s that links out of the workspace, unread", (file) => {
    const { workspace, deploy, outside } = workspaceWithOutside();
    rmSync(join(deploy, file));
    symlinkSync(join(outside, file), join(deploy, file));
    const problems = problemsOf(deploy, { workspace });
    expect(problems).toEqual([
      `${deploy}/${file}: is a link that leads outside the workspace, so it was not read; put the file itself here`,
    ]);
    expect(problems.join("\n")).not.toContain("OUTSIDE-MARKER");
  });

  it("refuses a deploy context folder that links out of the workspace", () => {
    const { workspace, outside } = workspaceWithOutside();
    symlinkSync(outside, join(workspace, "linked"));
    expect(problemsOf(join(workspace, "linked"), { workspace })).toEqual([
      `${join(workspace, "linked")}: the deploy context folder is a link that leads outside the workspace, so it was not read; name a folder in the repository`,
    ]);
  });

  it("follows a link that stays inside the workspace", () => {
    const { workspace, deploy } = workspaceWithOutside();
    mkdirSync(join(workspace, "shared"));
    writeFileSync(join(workspace, "shared", "service.json"), EXAMPLE["service.json"]);
    rmSync(join(deploy, "service.json"));
    symlinkSync("../shared/service.json", join(deploy, "service.json"));
    expect(loadDeployContext(deploy, { env: ENV, workspace }).service.serviceName).toBe("web");
  });

  it("without a workspace (the CLI on a laptop) follows links anywhere", () => {
    const { deploy, outside } = workspaceWithOutside();
    rmSync(join(deploy, "service.json"));
    symlinkSync(join(outside, "service.json"), join(deploy, "service.json"));
    expect(loadDeployContext(deploy, { env: ENV }).service.serviceName).toBe("OUTSIDE-MARKER");
  });
});
