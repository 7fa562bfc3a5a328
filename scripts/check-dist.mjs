// Fails when dist/ differs from a fresh build of the sources (CI runs this; dist/ is committed).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Every file under `dir` (each bundle is a folder of chunks), as paths relative to it. */
const files = (dir, prefix = "") =>
  existsSync(dir)
    ? readdirSync(dir).flatMap((name) =>
        statSync(join(dir, name)).isDirectory() ? files(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`],
      )
    : [];

const fresh = mkdtempSync(join(tmpdir(), "cage-dist-"));
try {
  execFileSync(process.execPath, ["scripts/build.mjs", fresh], { stdio: "inherit" });
  const names = new Set([...files(fresh), ...files("dist")]);
  const stale = [...names].filter((name) => {
    const committed = join("dist", name);
    const built = join(fresh, name);
    return !existsSync(committed) || !existsSync(built) || !readFileSync(committed).equals(readFileSync(built));
  });
  for (const name of names) {
    if (existsSync(join(fresh, name)) && readFileSync(join(fresh, name), "utf8").includes("webpackMissingModule")) {
      stale.push(`${name} (contains webpackMissingModule: a dependency failed to bundle)`);
    }
  }
  if (stale.length > 0) {
    console.error(`dist/ is out of date: ${stale.join(", ")}.\nRun \`npm run build\` and commit dist/.`);
    process.exit(1);
  }
  console.log("dist/ matches a fresh build");
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
