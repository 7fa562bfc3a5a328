// Bundles the three entries with ncc into dist/: index.js (action main), post.js (action post), cli.js (`cage`).
// Usage: node scripts/build.mjs [outDir]   (check-dist builds into a temporary folder and compares)
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const out = resolve(process.argv[2] ?? "dist");
const entries = { index: "src/index.ts", post: "src/post.ts", cli: "src/cli.ts" };
const ncc = resolve("node_modules/@vercel/ncc/dist/ncc/cli.js");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "cage-build-"));
try {
  for (const [name, entry] of Object.entries(entries)) {
    const dir = join(work, name);
    execFileSync(process.execPath, [ncc, "build", entry, "-o", dir, "--minify", "--quiet", "--target", "es2022"], {
      stdio: "inherit",
    });
    // Chunks (from dynamic imports) would be lost or collide between entries: every entry must be one file.
    const extra = readdirSync(dir).filter((f) => f.endsWith(".js") && f !== "index.js");
    if (extra.length > 0)
      throw new Error(`${entry} bundles into several files (${extra.join(", ")}); use static imports`);
    copyFileSync(join(dir, "index.js"), join(out, `${name}.js`));
  }
  chmodSync(join(out, "cli.js"), 0o755);
  // The bundles are ESM; this keeps them so even when dist/ is copied without the root package.json.
  writeFileSync(join(out, "package.json"), '{\n  "type": "module"\n}\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
