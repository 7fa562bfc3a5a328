import * as core from "@actions/core";

export async function runAction(): Promise<void> {
  core.setFailed("not implemented yet");
}
