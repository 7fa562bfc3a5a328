import { describe, expect, it } from "vitest";
import { countBySeverity, type Severity, severityOf, worstOf } from "../../src/audit/severity.js";

describe("severityOf", () => {
  it.each([
    ["CRITICAL", "CRITICAL"],
    ["high", "HIGH"],
    ["Medium", "MEDIUM"],
    ["LOW", "LOW"],
    ["INFORMATIONAL", "INFORMATIONAL"],
    ["INFO", "INFORMATIONAL"],
    ["UNDEFINED", "UNDEFINED"],
    ["UNTRIAGED", "UNDEFINED"],
    [undefined, "UNDEFINED"],
    ["bogus", "UNDEFINED"],
  ])("puts %s in the %s column", (raw, column) => {
    expect(severityOf(raw)).toBe(column);
  });
});

describe("countBySeverity", () => {
  it.each<[string, { id: string; severity: Severity }[], Partial<Record<Severity, number>>, Severity | undefined]>([
    ["nothing", [], {}, undefined],
    [
      "one of each, untriaged in its own column",
      [
        { id: "a", severity: "CRITICAL" },
        { id: "b", severity: "HIGH" },
        { id: "c", severity: "MEDIUM" },
        { id: "d", severity: "LOW" },
        { id: "e", severity: "INFORMATIONAL" },
        { id: "f", severity: "UNDEFINED" },
      ],
      { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1, INFORMATIONAL: 1, UNDEFINED: 1 },
      "CRITICAL",
    ],
    [
      "an id twice counts once, in its worst severity",
      [
        { id: "CVE-1", severity: "LOW" },
        { id: "CVE-1", severity: "HIGH" },
        { id: "CVE-2", severity: "LOW" },
      ],
      { HIGH: 1, LOW: 1 },
      "HIGH",
    ],
    ["only untriaged", [{ id: "x", severity: "UNDEFINED" }], { UNDEFINED: 1 }, "UNDEFINED"],
  ])("%s", (_, findings, expected, worst) => {
    const counts = countBySeverity(findings);
    expect(counts).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0, ...expected });
    expect(worstOf(counts)).toBe(worst);
  });
});
