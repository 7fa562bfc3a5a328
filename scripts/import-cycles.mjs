// Finds import cycles among the TypeScript files under src/: the static `import`/`export ... from` edges between
// them (type-only imports too: they still tie the two files' design together), grouped into strongly connected
// components. Dynamic `import()` is left out: it is how a command's modules load lazily.
// Usage: node scripts/import-cycles.mjs [path prefix...]   (exits 1 when a cycle touches a file under a prefix)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });

const IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+["'](\.{1,2}\/[^"']+)["']/gm;

/** Each file's relative imports, as paths relative to the root. */
export function importGraph(root = "src") {
  const graph = new Map();
  for (const file of files(root)) {
    const text = readFileSync(file, "utf8");
    const edges = [];
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1].replace(/\.js$/, ".ts"));
      if (existsSync(target)) edges.push(relative(".", target));
    }
    graph.set(relative(".", file), edges);
  }
  return graph;
}

/** Tarjan's strongly connected components of more than one file (or a file importing itself). */
export function importCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const prefixes = process.argv.slice(2);
  const cycles = importCycles(importGraph()).filter(
    (cycle) => prefixes.length === 0 || cycle.some((file) => prefixes.some((p) => file.startsWith(p))),
  );
  for (const cycle of cycles) console.log(`cycle: ${cycle.join(" ↔ ")}`);
  if (cycles.length > 0) process.exit(1);
  console.log("no import cycle");
}
