/**
 * The action's main step as GitHub's TypeScript action template exports it: `run()`. dist/index.js calls it;
 * `npx @github/local-action run . src/main.ts .env` calls it with its own @actions/core.
 */
import { runAction } from "./action/main.js";

export async function run(): Promise<void> {
  await runAction();
}
