import { describe, expect, it } from "vitest";
import { requestProblems } from "./fake-github.js";

const api = (path: string) => new URL(path, "http://127.0.0.1");

describe("the GitHub stand-in's OpenAPI check", () => {
  it.each([
    ["POST", "/repos/a/b/issues/1/comment", { body: "x" }, "no such operation"],
    ["PATCH", "/repos/a/b/issues/3", { state: "done" }, "is not one of open, closed"],
    ["PATCH", "/repos/a/b/issues/3", { state_reason: "fixed" }, "is not one of"],
    ["POST", "/repos/a/b/issues/1/comments", {}, "body.body: required"],
    ["POST", "/repos/a/b/issues", { title: "t", colour: "red" }, "body.colour: not in the schema"],
    ["POST", "/repos/a/b/deployments", { ref: 5 }, "body.ref: expected string"],
    ["POST", "/repos/a/b/deployments/1/statuses", { state: "done" }, "is not one of"],
  ])("flags %s %s %j", (method, path, body, problem) => {
    expect(requestProblems(method, api(path), body).join("\n")).toContain(problem);
  });

  it("flags an undeclared query parameter", () => {
    expect(requestProblems("GET", api("/repos/a/b/issues?colour=red"), undefined).join("\n")).toContain(
      "query 'colour' not declared",
    );
  });

  it("accepts a well-formed request", () => {
    expect(
      requestProblems("PATCH", api("/repos/a/b/issues/3"), { state: "closed", state_reason: "completed", body: "x" }),
    ).toEqual([]);
  });
});
