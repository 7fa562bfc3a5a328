/**
 * Paths from inputs stay inside the workspace: a workflow names files of its own repository, and a path that climbs
 * out (`../../etc`, `/etc/passwd`) is a mistake or an attempt to read what the job should not publish.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { InputError } from "./inputs.js";

type Env = Record<string, string | undefined>;

/** The path as given, when the runner's workspace holds it (or no workspace is known, as outside GitHub). */
export function insideWorkspace(name: string, path: string, env: Env): string {
  const workspace = env.GITHUB_WORKSPACE?.trim();
  if (!workspace) return path;
  const rel = relative(resolve(workspace), resolve(workspace, path));
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) return path;
  throw new InputError(
    `'${name}' is '${path}', outside the workspace (${workspace}); name a path in the repository, relative to its root`,
  );
}
