/** The AWS SDK's own models of the deploy-context files, so validation follows the real API shapes. */
import { CreateServiceRequest$, RegisterTaskDefinitionRequest$ } from "@aws-sdk/client-ecs";
import { NormalizedSchema } from "@smithy/core/schema";

export type Schema = NormalizedSchema;

export const createServiceInputSchema: Schema = NormalizedSchema.of(CreateServiceRequest$);
export const registerTaskDefinitionInputSchema: Schema = NormalizedSchema.of(RegisterTaskDefinitionRequest$);

/** Names of the members a structure requires (the SDK lists required members first and counts them). */
export function requiredMembers(schema: Schema): string[] {
  const raw = schema.getSchema() as unknown;
  if (!Array.isArray(raw) || raw[0] !== 3) return [];
  const names = raw[4] as string[];
  const count = typeof raw[6] === "number" ? raw[6] : 0;
  return names.slice(0, count);
}
