import { defineConfig } from "vitest/config";

/** `npm run bench`: benchmark files one after another (timings on a shared machine need the cores to themselves). */
export default defineConfig({
  test: {
    include: ["bench/**/*.bench.ts"],
    fileParallelism: false,
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
  },
});
