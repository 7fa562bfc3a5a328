import { describe, expect, it } from "vitest";
import { inert, inertLines } from "../../src/shared/inert.js";
import { actingParts, PAYLOAD } from "../action/runner-log.js";

describe("inert", () => {
  it.each([
    ["a line break", "ops\n::error::x", "ops\\n::error::x"],
    ["a carriage return, a line break to the runner", "a\rb\r\nc", "a\\rb\\r\\nc"],

    ["an ANSI colour", "\u001b[31mred", "\\u001b[31mred"],
    ["an OSC 8 link", "\u001b]8;;https://evil.example/\u0007x", "\\u001b]8;;https://evil.example/\\u0007x"],
    ["a C1 CSI and DEL", "\u009b31m\u007f", "\\u009b31m\\u007f"],
    ["a bidi override", "\u202eevil\u202c", "\\u202eevil\\u202c"],
    ["a zero-width space, which .NET's comparisons skip", "#\u200b#[x]", "#\\u200b#[x]"],
    ["a line separator", "a\u2028b", "a\\u2028b"],
    ["an ignorable tag character outside the BMP", "a\u{e0041}b", "a\\udb40\\udc41b"],
    ["the legacy command form", "x ##[add-mask]web", "x ##\\u005badd-mask]web"],
    ["three hashes", "###[x]", "###\\u005bx]"],
  ])("shows %s visibly, as JSON would", (_, value, shown) => {
    expect(inert(value)).toBe(shown);
  });

  it("keeps ordinary text, '::' inside a line and non-Latin letters as they are", () => {
    const text = "Essential container in task exited; IPv6 ::1; café 日本語 ✔";
    expect(inert(text)).toBe(text);
  });

  it("shows a tab as a space", () => {
    expect(inert("a\tb")).toBe("a b");
  });

  it("turns undefined and numbers into text", () => {
    expect(inert(undefined)).toBe("");
    expect(inert(42)).toBe("42");
  });
});

describe("inertLines", () => {
  it.each([
    ["::error title=Deploy OK::pwned"],
    ["   ::add-mask::web"],
    ["\u00a0\u2003::stop-commands::x"],
    ["\u0301::error::combining mark first"],
  ])("puts something visible before %j", (line) => {
    const out = inertLines(line);
    expect(out.replace(/^\s+/, "")).not.toMatch(/^::/);
    expect(out).toContain(line.trimStart().replace(/^\u0301/, ""));
  });

  it("keeps our own line breaks as lines, each made inert", () => {
    expect(inertLines("verdict: failed\n  - ::error::x\r\n  - \u001b[31m")).toBe(
      "verdict: failed\n  - ::error::x\n  - \\u001b[31m",
    );
  });

  it("leaves nothing of the payload the runner or a terminal would act on", () => {
    const out = inertLines(`stopped: ${PAYLOAD}\n${PAYLOAD}`);
    expect(actingParts(out)).toEqual([]);
    expect(out).toContain("» ::error title=Deploy OK::pwned");
  });

  it("keeps JSON's values: every escape is JSON's own", () => {
    const value = { reason: PAYLOAD, text: "\u2028 ##[x] \u007f \u202e \u{e0041}" };
    const out = inertLines(JSON.stringify(value, null, 2));
    expect(JSON.parse(out)).toEqual(value);
    expect(actingParts(out)).toEqual([]);
  });
});
