import { describe, expect, it } from "vitest";
import { escapeText, link } from "../../src/report/escape.js";

describe("escapeText", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", "<img"],
    ["<script>alert(1)</script>", "<script"],
    ["[click](https://evil.example)", "]("],
    ["![x](https://evil.example/a.png)", "]("],
    ["ping @octocat", "@octocat"],
    ["see #123", "#123"],
    ["mail a@b.com", "a@b.com"],
    ["visit https://evil.example", "https://"],
    ["visit www.evil.example", "www.evil"],
    ["**bold** _it_", "**bold**"],
    ["a | b", "a | b"],
    ["```js", "```"],
    ["line\n# Heading", "\n"],
    ["<!-- hide -->", "<!--"],
    ["&lt;img&gt;", "&lt;img"],
  ])("renders %j inert (no %j left)", (hostile, fragment) => {
    expect(escapeText(hostile)).not.toContain(fragment);
  });

  it("keeps ordinary words readable", () => {
    expect(escapeText("Essential container in task exited")).toBe("Essential container in task exited");
  });

  it("drops control and bidi characters", () => {
    expect(escapeText("a\u0007b\u202ec")).toBe("abc");
  });
});

describe("link", () => {
  it.each([["javascript:alert(1)"], ["http://plain.example"], ["https://a.example/x)(y"], ["https://a.example/<b>"]])(
    "does not link %s",
    (url) => {
      expect(link("CVE-1", url)).toBe("CVE-1");
    },
  );

  it("links an https URL with escaped text", () => {
    expect(link("CVE-2024-1 [x]", "https://nvd.nist.gov/vuln/detail/CVE-2024-1")).toBe(
      "[CVE-2024-1 \\[x\\]](https://nvd.nist.gov/vuln/detail/CVE-2024-1)",
    );
  });
});
