/**
 * The constraints of SARIF 2.1.0 that GitHub code scanning enforces on an upload: the schema's required properties,
 * enums and formats for the parts cage writes, and code scanning's own limits (20 runs per file, 25,000 results and
 * 25,000 rules per run, 1,000 locations per result, 20 tags per rule, security-severity a number from 0.0 to 10.0,
 * a ruleIndex that names the result's rule). Returns one line per problem, with the JSON path.
 */
type Json = Record<string, any>;

const LEVELS = ["none", "note", "warning", "error"];
const SUPPRESSION_KINDS = ["inSource", "external"];
/** RFC 3986 URI reference characters (no spaces, quotes or angle brackets). */
const URI_REFERENCE = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown) => typeof v === "string" && v.length > 0;

function message(problems: string[], path: string, m: unknown): void {
  if (!isObject(m) || !isText(m.text)) problems.push(`${path}: a message needs a non-empty text`);
}

function rule(problems: string[], path: string, r: unknown): void {
  if (!isObject(r)) return void problems.push(`${path}: is not an object`);
  if (!isText(r.id)) problems.push(`${path}.id: is required`);
  for (const key of ["shortDescription", "fullDescription", "help"]) {
    if (r[key] !== undefined) message(problems, `${path}.${key}`, r[key]);
  }
  if (r.helpUri !== undefined && !URI_REFERENCE.test(String(r.helpUri))) problems.push(`${path}.helpUri: not a URI`);
  const level = r.defaultConfiguration?.level;
  if (level !== undefined && !LEVELS.includes(level)) problems.push(`${path}.defaultConfiguration.level: ${level}`);
  const tags = r.properties?.tags;
  if (tags !== undefined) {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) problems.push(`${path}.properties.tags`);
    else if (new Set(tags).size !== tags.length) problems.push(`${path}.properties.tags: not unique`);
    else if (tags.length > 20) problems.push(`${path}.properties.tags: more than 20`);
  }
  const severity = r.properties?.["security-severity"];
  if (severity !== undefined) {
    const score = Number(severity);
    if (typeof severity !== "string" || !(score >= 0 && score <= 10)) {
      problems.push(`${path}.properties.security-severity: ${JSON.stringify(severity)} is not "0.0" to "10.0"`);
    }
  }
}

function location(problems: string[], path: string, l: unknown): void {
  const physical = isObject(l) ? l.physicalLocation : undefined;
  if (!isObject(physical)) return void problems.push(`${path}.physicalLocation: is required`);
  const uri = physical.artifactLocation?.uri;
  if (!isText(uri) || !URI_REFERENCE.test(uri)) problems.push(`${path}.physicalLocation.artifactLocation.uri: ${uri}`);
  const line = physical.region?.startLine;
  if (!Number.isInteger(line) || line < 1) problems.push(`${path}.physicalLocation.region.startLine: ${line}`);
  if (l && (l as Json).message !== undefined) message(problems, `${path}.message`, (l as Json).message);
}

function result(problems: string[], path: string, r: unknown, rules: Json[]): void {
  if (!isObject(r)) return void problems.push(`${path}: is not an object`);
  message(problems, `${path}.message`, r.message);
  if (!isText(r.ruleId)) problems.push(`${path}.ruleId: is required by code scanning`);
  if (r.ruleIndex !== undefined && rules[r.ruleIndex]?.id !== r.ruleId) {
    problems.push(`${path}.ruleIndex: ${r.ruleIndex} does not name rule ${r.ruleId}`);
  }
  if (r.level !== undefined && !LEVELS.includes(r.level)) problems.push(`${path}.level: ${r.level}`);
  if (!Array.isArray(r.locations) || r.locations.length === 0) problems.push(`${path}.locations: none`);
  else if (r.locations.length > 1000) problems.push(`${path}.locations: more than 1,000`);
  else for (const [i, l] of r.locations.entries()) location(problems, `${path}.locations[${i}]`, l);
  if (r.partialFingerprints !== undefined) {
    const values = isObject(r.partialFingerprints) ? Object.values(r.partialFingerprints) : [undefined];
    if (values.some((v) => typeof v !== "string")) problems.push(`${path}.partialFingerprints: values are strings`);
  }
  for (const [i, s] of (r.suppressions ?? []).entries()) {
    if (!SUPPRESSION_KINDS.includes(s?.kind)) problems.push(`${path}.suppressions[${i}].kind: ${s?.kind}`);
  }
}

export function sarifProblems(sarif: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(sarif)) return ["$: is not an object"];
  if (sarif.version !== "2.1.0") problems.push(`$.version: ${sarif.version} is not 2.1.0`);
  if (!Array.isArray(sarif.runs) || sarif.runs.length === 0) return [...problems, "$.runs: none"];
  if (sarif.runs.length > 20) problems.push("$.runs: more than 20");
  for (const [i, run] of (sarif.runs as Json[]).entries()) {
    const path = `$.runs[${i}]`;
    const driver = run?.tool?.driver;
    if (!isText(driver?.name)) problems.push(`${path}.tool.driver.name: is required`);
    const rules: Json[] = driver?.rules ?? [];
    if (rules.length > 25_000) problems.push(`${path}.tool.driver.rules: more than 25,000`);
    if (new Set(rules.map((r) => r?.id)).size !== rules.length) problems.push(`${path}.tool.driver.rules: ids repeat`);
    for (const [j, r] of rules.entries()) rule(problems, `${path}.tool.driver.rules[${j}]`, r);
    if (run.automationDetails !== undefined && !isText(run.automationDetails.id)) {
      problems.push(`${path}.automationDetails.id: is required`);
    }
    if (!Array.isArray(run.results)) {
      problems.push(`${path}.results: is required`);
      continue;
    }
    if (run.results.length > 25_000) problems.push(`${path}.results: more than 25,000`);
    for (const [j, r] of run.results.entries()) result(problems, `${path}.results[${j}]`, r, rules);
  }
  return problems;
}
