/** The engine's public surface: one function per command, its settings and result, events, and the clock. */

export type { Clock } from "../shared/clock.js";
export { systemClock } from "../shared/clock.js";
export { formatDuration, parseDuration } from "../shared/duration.js";
export { cleanup } from "./cleanup.js";
export { CageError, type FailureKind } from "./errors.js";
export type { CageEvent, EventSink, Phase, Result } from "./events.js";
export { Timeline } from "./events.js";
export { canaryGroup, startedByFor } from "./labels.js";
export { type RecordedCanary, recordedCanaries } from "./recorded.js";
export { rollout } from "./rollout.js";
export { runTask } from "./run.js";
export { UPDATABLE_FIELDS } from "./service-update.js";
export {
  type CleanupSettings,
  type CommandResult,
  DEFAULT_TIMEOUTS,
  type EngineDeps,
  type RolloutSettings,
  type RunTaskSettings,
  type Target,
  type Timeouts,
  type UpSettings,
} from "./settings.js";
export { up } from "./up.js";
