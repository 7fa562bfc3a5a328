/**
 * The audit's public surface: the engine, its one model of a report (types, severities, counts, the highest
 * severity, rows without a usable scan), the gate and the renderers. Front ends, the job summary and the simulator
 * import from here, never from the files behind it.
 */
export { type AuditDeps, audit } from "./audit.js";
export {
  auditResultOf,
  FAIL_ON,
  FAIL_ON_UNSCANNED,
  type FailOn,
  type FailOnUnscanned,
  failingSeverities,
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
export { imageLines, repositoryPath } from "./locations.js";
export { JSON_SCHEMA_VERSION, renderJson, toJsonReport } from "./render-json.js";
export { renderSarif, SARIF_MAX_RESULTS, type SarifOptions } from "./render-sarif.js";
export { renderDetail, renderTable } from "./render-text.js";
export {
  HIGHEST_SEVERITIES,
  type HighestSeverity,
  rankOf,
  SEVERITIES,
  type Severity,
  type SeverityCounts,
  severityOf,
} from "./severity.js";
export {
  type ContainerCounts,
  countsOf,
  type Gap,
  gapOf,
  ignoredVulnsOf,
  type Location,
  missesScans,
  rowsOf,
  type Summary,
  summaryOf,
  unreadNote,
  type Vuln,
  vulnsOf,
} from "./summary.js";
export type * from "./types.js";
