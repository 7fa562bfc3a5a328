import { describe, expect, it } from "vitest";
import { escapeText, link, prose, runLink } from "../../src/report/escape.js";

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

describe("prose", () => {
  it.each([
    ["run `cage cleanup` for this service.", "run <code>cage cleanup</code> for this service."],
    ["Create it with `command: up`.", "Create it with <code>command: up</code>."],
    ["a `b` c `d` e", "a <code>b</code> c <code>d</code> e"],
    ["one ` alone", "one \\` alone"],
    ["`a` and ` alone", "<code>a</code> and \\` alone"],
    ["empty `` span", "empty  span"],
  ])("shows the code spans of %j as code", (text, markdown) => {
    expect(prose(text)).toBe(markdown);
  });

  it.each([
    ["`<img src=x onerror=alert(1)>`", "<img"],
    ["`[click](https://evil.example)`", "]("],
    ["`@octocat` and `#123`", "@octocat"],
    ["x `**bold**` y", "**bold**"],
    ["`a\n# Heading`", "\n"],
  ])("escapes inside and outside a code span: %j keeps no %j", (hostile, fragment) => {
    expect(prose(hostile)).not.toContain(fragment);
  });
});

describe("link", () => {
  it.each([
    ["javascript:alert(1)"],
    ["http://nvd.nist.gov/vuln/detail/CVE-2024-1"],
    ["https://evil.example/CVE-2024-1"],
    ["https://nvd.nist.gov.evil.example/x"],
    ["https://evilnvd.nist.gov/x"],
    ["https://bucket.s3.amazonaws.com/phish.html"],
    ["https://github.com/evil/repo"],
    ["https://user:pass@nvd.nist.gov/x"],
    ["https://nvd.nist.gov:8443/x"],
    ["https://nvd.nist.gov/x)(y"],
    ["https://nvd.nist.gov/<b>"],
    ["https://nvd.nist.gov/a b"],
  ])("does not link %s", (url) => {
    expect(link("CVE-1", url)).toBe("CVE-1");
  });

  it.each([
    ["https://nvd.nist.gov/vuln/detail/CVE-2024-3094"],
    ["https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2024-3094"],
    ["https://www.cve.org/CVERecord?id=CVE-2024-3094"],
    ["https://security-tracker.debian.org/tracker/CVE-2024-3094"],
    ["https://ubuntu.com/security/CVE-2024-3094"],
    ["https://access.redhat.com/security/cve/CVE-2024-3094"],
    ["https://alas.aws.amazon.com/AL2023/ALAS-2024-123.html"],
    ["https://explore.alas.aws.amazon.com/CVE-2024-3094.html"],
    ["https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups"],
    ["https://github.com/advisories/GHSA-xxxx-yyyy-zzzz"],
  ])("links %s", (url) => {
    expect(link("CVE", url)).toBe(`[CVE](${url})`);
  });

  it("escapes the text of a link", () => {
    expect(link("CVE-2024-1 [x]", "https://nvd.nist.gov/vuln/detail/CVE-2024-1")).toBe(
      "[CVE-2024-1 \\[x\\]](https://nvd.nist.gov/vuln/detail/CVE-2024-1)",
    );
  });

  it("links the run on the runner's own GitHub server, and nothing that could end the link", () => {
    const run = "https://ghe.example.com/acme/web/actions/runs/99";
    expect(runLink("the run", run)).toBe(`[the run](${run})`);
    expect(runLink("the run", "https://ghe.example.com/x)(y")).toBe("the run");
  });
});
