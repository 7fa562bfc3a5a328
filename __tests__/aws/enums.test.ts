/**
 * The enum table against the SDK's own type declarations: every member of a structure the deploy-context schemas
 * reach whose declared type is a union of string literals (or a list of one) is in the table with those values, and
 * the table holds nothing else.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { enumMembers } from "../../src/aws/enums.js";
import { createServiceInputSchema, registerTaskDefinitionInputSchema, type Schema } from "../../src/aws/schemas.js";

function reachableStructures(): Set<string> {
  const names = new Set<string>();
  const walk = (s: Schema): void => {
    if (s.isStructSchema()) {
      const name = s.getName();
      if (name === undefined || names.has(name)) return;
      names.add(name);
      for (const member of Object.values(s.getMemberSchemas())) walk(member);
    } else if (s.isListSchema() || s.isMapSchema()) walk(s.getValueSchema());
  };
  walk(createServiceInputSchema);
  walk(registerTaskDefinitionInputSchema);
  return names;
}

/** `Structure.member` → sorted enum values, as the SDK's .d.ts files declare them. */
function declaredEnums(structures: Set<string>): Map<string, string[]> {
  const entry = createRequire(import.meta.url).resolve("@aws-sdk/client-ecs");
  const models = join(dirname(entry), "../dist-types/models");
  const files = ["models_0.d.ts", "models_1.d.ts"].map((f) => join(models, f));
  const program = ts.createProgram(files, { skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const found = new Map<string, string[]>();
  for (const file of files) {
    for (const statement of program.getSourceFile(file)?.statements ?? []) {
      if (!ts.isInterfaceDeclaration(statement) || !structures.has(statement.name.text)) continue;
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
        let type = checker.getNonNullableType(checker.getTypeAtLocation(member));
        if (checker.isArrayType(type)) type = checker.getTypeArguments(type as ts.TypeReference)[0] as ts.Type;
        const parts = type.isUnion() ? type.types : [type];
        if (!parts.every((p) => p.isStringLiteral())) continue;
        const values = parts.map((p) => (p as ts.StringLiteralType).value).sort();
        found.set(`${statement.name.text}.${member.name.text}`, values);
      }
    }
  }
  return found;
}

describe("the enum table", () => {
  it("matches the SDK's declarations member for member, values included", () => {
    const structures = reachableStructures();
    const declared = declaredEnums(structures);
    const table = new Map(enumMembers().map((e) => [`${e.structure}.${e.member}`, [...e.values].sort()]));
    // The deploy-context inputs reach dozens of structures; launchType is one of their enums.
    expect(structures.size).toBeGreaterThan(50);
    expect(declared.get("CreateServiceRequest.launchType")).toEqual([
      "EC2",
      "EXTERNAL",
      "FARGATE",
      "MANAGED_INSTANCES",
    ]);
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(declared));
  });
});
