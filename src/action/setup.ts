/** `setup`: put the bundled `cage` CLI on PATH through the tool cache, so later `run:` steps can call it. */
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import * as core from "@actions/core";
import * as tc from "@actions/tool-cache";
import { VERSION } from "../version.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";

/**
 * The CLI ships next to the action's own entry (dist/index.js → dist/cli.js, which imports its bundle folder
 * dist/cli/). Found from the entry script the runner started: `new URL("./cli.js", import.meta.url)` would be
 * rewritten by the bundler as an asset.
 */
export const bundledCli = (): string => join(dirname(process.argv[1] ?? "."), "cli.js");

export async function runSetup(
  _settings: ActionSettings,
  env: Record<string, string | undefined>,
  cli = bundledCli(),
): Promise<string> {
  if (!existsSync(cli))
    throw new Error(`The cage CLI bundle is missing at ${cli}; this copy of the action is incomplete.`);
  const folder = join(dirname(cli), basename(cli, ".js"));
  const modules = existsSync(folder) ? readdirSync(folder).sort() : [];
  // The content hash tells two bundles of one version apart in the log (tool-cache files both under the version).
  const hash = createHash("sha256").update(readFileSync(cli));
  for (const file of modules) hash.update(file).update(readFileSync(join(folder, file)));
  const staging = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), "cage-setup-"));
  copyFileSync(cli, join(staging, "cage.mjs"));
  if (modules.length > 0) {
    cpSync(folder, join(staging, basename(folder)), { recursive: true });
    // The bundle's modules are ESM `.js` files.
    writeFileSync(join(staging, "package.json"), '{ "type": "module" }\n');
  }
  writeFileSync(join(staging, "cage"), '#!/bin/sh\nexec node "$(dirname "$0")/cage.mjs" "$@"\n', { mode: 0o755 });
  writeFileSync(join(staging, "cage.cmd"), '@node "%~dp0cage.mjs" %*\r\n');
  // cacheDir replaces what a previous run cached under the same version, so a new bundle is never stale.
  const dir = await tc.cacheDir(staging, "cage", VERSION);
  core.addPath(dir);
  stepLog.info(`cage ${VERSION}+${hash.digest("hex").slice(0, 12)} is on PATH from ${dir}`);
  return dir;
}
