/**
 * Paths from inputs stay inside the workspace: a workflow names files of its own repository, and a path that climbs
 * out (`../../etc`, `/etc/passwd`) or a link in the repository that leads out is a mistake or an attempt to read or
 * overwrite what the job should not touch. Links are resolved before the check.
 */

import { InputError } from "../inputs/validate.js";
import { workspaceEscape } from "../inputs/workspace.js";

type Env = Record<string, string | undefined>;

/** The path as given, when the runner's workspace really holds it (or no workspace is known, as outside GitHub). */
export function insideWorkspace(name: string, path: string, env: Env): string {
  const workspace = env.GITHUB_WORKSPACE?.trim();
  if (!workspace) return path;
  const leaves = workspaceEscape(workspace, path);
  if (leaves === undefined) return path;
  throw new InputError(
    leaves === "outside"
      ? `'${name}' is '${path}', outside the workspace (${workspace}); name a path in the repository, relative to its root`
      : `'${name}' is '${path}', which leads outside the workspace (${workspace}) through a symbolic link, so it was not used; name a path in the repository that is not a link out of it`,
  );
}
