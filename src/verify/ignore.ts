/** The ignore file the audit would apply: the one named, else the first found in the context's folder or here. */
import { findIgnoreFile, readIgnoreFile } from "../audit/index.js";
import type { VerifySettings } from "./types.js";

export async function withIgnoreFile(
  settings: VerifySettings,
  ignoreFile: string | undefined,
  options: { workspace?: string } = {},
): Promise<VerifySettings> {
  const dirs = [...(settings.context ? [settings.context.dir] : []), "."];
  const path = ignoreFile ?? (await findIgnoreFile(dirs));
  return path ? { ...settings, ignore: await readIgnoreFile(path, options) } : settings;
}
