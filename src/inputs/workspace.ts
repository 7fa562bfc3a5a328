/**
 * Where a path really leads, links resolved, and whether that is inside the workspace. A link in the repository can
 * point anywhere (`service.json -> /proc/self/environ`), so a lexical check of the path as written proves nothing.
 */
import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";

const MAX_LINKS = 40;

/**
 * The real path of `path`. For a path that does not exist yet (a file to be written), the real path of its deepest
 * existing parent joined with the rest; a dangling link is followed to where a write would create the file.
 * Undefined when links loop.
 */
export function realPathOf(path: string): string | undefined {
  return realOf(resolve(path), 0);
}

function realOf(absolute: string, hops: number): string | undefined {
  try {
    return realpathSync(absolute);
  } catch {
    // Missing, dangling, looping or unreadable: resolved step by step below.
  }
  let target: string | undefined;
  try {
    if (lstatSync(absolute).isSymbolicLink()) target = readlinkSync(absolute);
  } catch {
    target = undefined;
  }
  if (target !== undefined) {
    return hops >= MAX_LINKS ? undefined : realOf(resolve(dirname(absolute), target), hops + 1);
  }
  const parent = dirname(absolute);
  if (parent === absolute) return absolute;
  const real = realOf(parent, hops);
  return real === undefined ? undefined : join(real, basename(absolute));
}

/** `path` is `root` or below it; both absolute. */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * How `path` leaves the workspace: `outside` when it names a place outside as written, `link` when it is written
 * inside but a link takes it out; undefined when it stays inside. Relative paths are taken from the working directory.
 */
export function workspaceEscape(workspace: string, path: string): "outside" | "link" | undefined {
  const root = resolve(workspace);
  if (!isWithin(root, resolve(path))) return "outside";
  const realRoot = realPathOf(root);
  const real = realPathOf(path);
  return realRoot !== undefined && real !== undefined && isWithin(realRoot, real) ? undefined : "link";
}

/** The runner's workspace as an option, when the environment names one (GitHub sets GITHUB_WORKSPACE). */
export function workspaceOption(env: Record<string, string | undefined>): { workspace?: string } {
  const workspace = env.GITHUB_WORKSPACE?.trim();
  return workspace ? { workspace } : {};
}
