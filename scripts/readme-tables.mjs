// Writes README.md's inputs and outputs tables from action.yml, between the <!-- inputs:start/end --> and
// <!-- outputs:start/end --> markers (added at the end of the README when missing).
// Usage: node scripts/readme-tables.mjs [--check]   (--check exits 1 when README.md is out of date)
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const cell = (text) =>
  String(text ?? "")
    .trim()
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|");

export function tables(actionYml) {
  const action = parse(actionYml);
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${cell(spec.description)} | ${spec.default === "" || spec.default === undefined ? "" : `\`${cell(spec.default)}\``} |`,
  );
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`,
  );
  return {
    inputs: ["| Input | Description | Default |", "| --- | --- | --- |", ...inputs].join("\n"),
    outputs: ["| Output | Description |", "| --- | --- |", ...outputs].join("\n"),
  };
}

export function withTables(readme, generated) {
  let text = readme;
  for (const kind of ["inputs", "outputs"]) {
    const start = `<!-- ${kind}:start -->`;
    const end = `<!-- ${kind}:end -->`;
    const block = `${start}\n${generated[kind]}\n${end}`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from >= 0 && to > from) text = text.slice(0, from) + block + text.slice(to + end.length);
    else text = `${text.trimEnd()}\n\n${block}\n`;
  }
  return text;
}

const readme = readFileSync("README.md", "utf8");
const updated = withTables(readme, tables(readFileSync("action.yml", "utf8")));
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    console.error("README.md's inputs/outputs tables differ from action.yml: run node scripts/readme-tables.mjs");
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync("README.md", updated);
  console.log("README.md tables updated from action.yml");
}
