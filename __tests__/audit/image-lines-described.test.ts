import { describe, expect, it } from "vitest";
import { imageLines } from "../../src/audit/locations.js";

describe("imageLines of describe-task-definition's output", () => {
  it("finds each image inside the taskDefinition wrapper", () => {
    const text = `{
  "taskDefinition": {
    "containerDefinitions": [
      { "name": "app",
        "image": "web:v1" }
    ],
    "revision": 3
  },
  "tags": []
}
`;
    expect([...imageLines(text)]).toEqual([["app", 5]]);
  });
});
