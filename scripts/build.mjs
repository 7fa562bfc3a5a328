// Bundles the three entries with ncc: dist/index.js (action main), dist/post.js (action post), dist/cli.js (`cage`).
// Each entry's bundle lives in its own folder (dist/index/, dist/post/, dist/cli/): its main file plus the chunks
// of its dynamic imports (loaded only when a command needs them, which keeps start-up short). dist/<entry>.js is a
// small module that enables Node's compile cache and imports it, so action.yml, package.json `bin` and scripts keep
// one stable path per entry.
// Usage: node scripts/build.mjs [outDir]   (check-dist builds into a temporary folder and compares)
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
// ncc minifies only an entry's main file; its chunks go through terser (ncc's own minifier) with the same options.
import { minify } from "terser";

const out = resolve(process.argv[2] ?? "dist");
const entries = { index: "src/index.ts", post: "src/post.ts", cli: "src/cli.ts" };
const ncc = resolve("node_modules/@vercel/ncc/dist/ncc/cli.js");
// Node >= 22 keeps V8's compiled code under the temp folder (NODE_COMPILE_CACHE, NODE_DISABLE_COMPILE_CACHE apply):
// the action's next step in the same job, or the next `cage` command, starts without compiling the bundle again.
const STUB = `import module from "node:module";

module.enableCompileCache?.();
await import("BUNDLE");
`;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "cage-build-"));
try {
  for (const [name, entry] of Object.entries(entries)) {
    const dir = join(work, name);
    execFileSync(process.execPath, [ncc, "build", entry, "-o", dir, "--minify", "--quiet", "--target", "es2022"], {
      stdio: "inherit",
    });
    const bundle = join(out, name);
    mkdirSync(bundle);
    // ncc also writes a package.json (`"type": "module"`); dist/package.json covers every folder.
    for (const file of readdirSync(dir).filter((f) => f !== "package.json")) {
      if (!file.endsWith(".js")) throw new Error(`${entry}: unexpected build output ${file}`);
      if (file === "index.js") {
        copyFileSync(join(dir, file), join(bundle, file));
        continue;
      }
      // ncc minifies only the main file; its chunks get the same treatment here (smaller, faster to compile).
      const code = readFileSync(join(dir, file), "utf8");
      const min = await minify(code, {
        module: true,
        compress: false,
        mangle: { keep_classnames: true, keep_fnames: true },
      });
      writeFileSync(join(bundle, file), min.code ?? code);
    }
    const shebang = name === "cli" ? "#!/usr/bin/env node\n" : "";
    writeFileSync(join(out, `${name}.js`), `${shebang}${STUB.replace("BUNDLE", `./${name}/index.js`)}`);
  }
  chmodSync(join(out, "cli.js"), 0o755);
  // The bundles are ESM; this keeps them so even when dist/ is copied without the root package.json.
  writeFileSync(join(out, "package.json"), '{\n  "type": "module"\n}\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
