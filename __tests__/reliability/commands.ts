/** Settings for each command against the demo world, as a user would give them. */
import type { CleanupSettings, NativeSettings, RunTaskSettings, UpSettings } from "../../src/engine/settings.js";
import { DEFAULT_TIMEOUTS } from "../../src/engine/settings.js";
import { webContext } from "../engine/scenarios/world.js";

export function upSettings(over: Partial<UpSettings> = {}): UpSettings {
  return {
    region: "us-east-1",
    cluster: "production",
    service: "web-new",
    context: webContext("v2", { serviceName: "web-new" }),
    timeouts: DEFAULT_TIMEOUTS,
    runId: "run-1",
    ...over,
  };
}

export function runSettings(over: Partial<RunTaskSettings> = {}): RunTaskSettings {
  return {
    region: "us-east-1",
    cluster: "production",
    service: "web",
    context: webContext("v2"),
    container: "app",
    command: ["./migrate", "--yes"],
    timeouts: DEFAULT_TIMEOUTS,
    runId: "run-1",
    ...over,
  };
}

export function cleanupSettings(over: Partial<CleanupSettings> = {}): CleanupSettings {
  return {
    region: "us-east-1",
    cluster: "production",
    service: "web",
    drain: true,
    timeouts: DEFAULT_TIMEOUTS,
    ...over,
  };
}

/** `continue` and `rollback` of web's current service deployment. */
export function nativeSettings(over: Partial<NativeSettings> = {}): NativeSettings {
  return { region: "us-east-1", cluster: "production", service: "web", timeouts: DEFAULT_TIMEOUTS, ...over };
}
