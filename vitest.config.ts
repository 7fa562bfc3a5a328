import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files share a worker's loaded modules: importing the SDK and the engine once per worker instead of once
    // per file. Tests restore what they change in the process (setEnv, vi.stubEnv, spies, process.exitCode).
    isolate: false,
    // Many tests wait on a child process (the CLI, dist/, boto3, the AWS CLI): one worker more than the cores keeps
    // them busy, where vitest's default (cores - 1) runs the files one by one on a 2-core runner.
    maxWorkers: availableParallelism() + 1,
    // Imports its JSON schemas without `with { type: "json" }`, which Node refuses; Vite's transform handles them.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
