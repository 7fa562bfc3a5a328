/** The audit engine's public surface. */
export { type AuditDeps, audit } from "./audit.js";
export {
  FAIL_ON,
  FAIL_ON_UNSCANNED,
  type FailOn,
  type FailOnUnscanned,
  type GateOptions,
  type GateResult,
  gate,
} from "./gate.js";
export {
  findIgnoreFile,
  IGNORE_FILE_NAMES,
  type IgnoreEntry,
  IgnoreFileError,
  type IgnoreList,
  parseIgnoreFile,
  readIgnoreFile,
} from "./ignore-file.js";
export { JSON_SCHEMA_VERSION, renderJson, toJsonReport } from "./render-json.js";
export { renderSarif, SARIF_MAX_RESULTS, type SarifOptions } from "./render-sarif.js";
export { renderDetail, renderTable } from "./render-text.js";
export { SEVERITIES, type Severity } from "./severity.js";
export type * from "./types.js";
