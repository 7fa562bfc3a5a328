import { describe, expect, it } from "vitest";
import { services } from "../../../src/sim/models.js";
import { jsonBody, writeJson } from "../../../src/sim/protocols/json.js";
import { outputOf } from "../../../src/sim/protocols/schema.js";
import type { FindingSpec } from "../../../src/sim/world/index.js";
import { Harness } from "./harness.js";

const schema = outputOf(services.ecr.operations.get("DescribeImageScanFindings")!);

function page(findings: FindingSpec[]) {
  const h = Harness.demo(undefined, (b) =>
    b.repository({
      name: "edge",
      scanType: "ENHANCED",
      images: [{ tags: ["v1"], scan: { status: "COMPLETE", findings: { list: findings } } }],
    }),
  );
  return h.call("ecr", "DescribeImageScanFindings", { repositoryName: "edge", imageId: { imageTag: "v1" } });
}

describe("a page of enhanced findings written as text", () => {
  it.each([
    [
      "generated findings",
      Harness.demo("enhanced-2000").call("ecr", "DescribeImageScanFindings", {
        repositoryName: "web",
        imageId: { imageTag: "v2" },
        maxResults: 1000,
      }),
    ],
    [
      "findings with members left out",
      page([
        { name: "CVE-2024-1", severity: "HIGH" },
        {
          name: "CVE-2024-2",
          severity: "LOW",
          uri: "",
          fixedInVersion: "",
          score: 0,
          description: 'a "quoted" \\ text',
        },
        {
          name: "GHSA-xxxx",
          severity: "UNDEFINED",
          packageName: "zlib",
          packageVersion: "1.2",
          fixedInVersion: "1.3",
          uri: "https://x/é",
        },
      ]),
    ],
  ])("is what the model walk writes: %s", (_name, output) => {
    expect(output.imageScanFindings.enhancedFindings.length).toBeGreaterThan(0);
    expect(jsonBody(schema, output)).toBe(JSON.stringify(writeJson(schema, output)));
  });
});
