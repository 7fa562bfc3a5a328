/**
 * `deploy-context` patterns for an audit (`services/*\/deploy`): every folder that matches and holds a
 * service.json, in a stable order. The runner does not expand inputs as a shell would, so the action does.
 */
import { dirname, relative, resolve } from "node:path";
import { InputError } from "../inputs/validate.js";
import { insideWorkspace } from "./input-paths.js";

type Env = Record<string, string | undefined>;

export const isPattern = (entry: string) => /[*?[\]{}]/.test(entry);

/** The folders the entries name: plain folders as they are, patterns expanded; a pattern matching none fails. */
export async function expandDeployContexts(entries: string[], env: Env): Promise<string[]> {
  if (!entries.some(isPattern)) return entries;
  const root = env.GITHUB_WORKSPACE?.trim() || process.cwd();
  const glob = await import("@actions/glob");
  const folders: string[] = [];
  for (const entry of entries) {
    if (!isPattern(entry)) {
      folders.push(entry);
      continue;
    }
    const pattern = `${resolve(root, entry)}/service.json`;
    const globber = await glob.create(pattern, { implicitDescendants: false, matchDirectories: false });
    const found = (await globber.glob()).map((file) => relative(root, dirname(file)) || ".").sort();
    if (found.length === 0) {
      throw new InputError(
        `'deploy-context' pattern '${entry}' matches no folder holding a service.json (relative to ${root})`,
      );
    }
    folders.push(...found.map((folder) => insideWorkspace("deploy-context", folder, env)));
  }
  return [...new Set(folders)];
}
