import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Imports its JSON schemas without `with { type: "json" }`, which Node refuses; Vite's transform handles them.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
