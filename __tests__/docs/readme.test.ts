import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync("README.md", "utf8");

describe("README", () => {
  it("shows exactly the IAM policy the tests prove (iam-policy.json)", () => {
    const block = /<!-- iam-policy:start -->\n```json\n([\s\S]*?)\n```\n<!-- iam-policy:end -->/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(JSON.parse(block ?? "")).toEqual(JSON.parse(readFileSync("iam-policy.json", "utf8")));
  });

  it("opens with the two commands a new user runs", () => {
    const tryIt = readme.slice(readme.indexOf("## Try it"), readme.indexOf("## How a rollout works"));
    const commands = [...tryIt.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toEqual(["node dist/cli.js demo", "npm ci && npm test"]);
  });

  it("links only to files that exist", () => {
    for (const [, target] of readme.matchAll(/\]\(((?!https?:)[^)#\s]+)\)/g)) {
      expect(existsSync(target as string), target).toBe(true);
    }
  });
});
