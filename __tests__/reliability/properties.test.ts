/**
 * Properties over the parsers that guard every input: durations, ARNs, image references, and the templating
 * that puts environment values into deploy-context JSON. fast-check generates the cases (seeded, so a failure
 * replays) and shrinks a failure to its smallest form.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseImage } from "../../src/audit/image-ref.js";
import { renderTemplate } from "../../src/context/template.js";
import { canaryInstanceOf, durationOf, InputError, taskDefinitionOf } from "../../src/inputs/validate.js";
import { formatDuration, parseDuration } from "../../src/shared/duration.js";

const params = { seed: 8, numRuns: 500 };
const UNITS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

describe("durations", () => {
  it("a sum of parts like 1h30m5s250ms parses to the sum of its parts", () => {
    const part = fc.tuple(
      fc.integer({ min: 0, max: 10_000 }),
      fc.constantFrom(...(Object.keys(UNITS) as (keyof typeof UNITS)[])),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const text = parts.map(([n, u]) => `${n}${u}`).join("");
        expect(parseDuration(text)).toBe(parts.reduce((ms, [n, u]) => ms + n * UNITS[u], 0));
      }),
      params,
    );
  });

  it("a number too large to be a duration is refused, not Infinity or an imprecise number", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{14,400}$/), fc.constantFrom("", "ms", "s", "m", "h"), (digits, unit) => {
        const ms = parseDuration(`${digits}${unit}`);
        if (ms !== undefined) expect(Number.isSafeInteger(ms)).toBe(true);
      }),
      params,
    );
  });

  it("what formatDuration prints parses back to the same whole seconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 3600 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds * 1000))).toBe(seconds * 1000);
      }),
      params,
    );
  });

  it("any text is a non-negative whole number of ms or is refused with the input's name, never NaN or a crash", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), (text) => {
        const ms = parseDuration(text);
        if (ms !== undefined) expect(Number.isSafeInteger(ms) && ms >= 0).toBe(true);
        try {
          expect(durationOf("'timeout'", text)).toBe(ms);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).toContain("'timeout'");
          expect(ms).toBeUndefined();
        }
      }),
      params,
    );
  });
});

const region = fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1");
const account = fc.stringMatching(/^\d{12}$/);
const family = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const revision = fc.integer({ min: 1, max: 100_000 });

describe("task definition ARNs", () => {
  it("an ECS task definition ARN in the deployment's region is accepted as it is", () => {
    fc.assert(
      fc.property(region, account, family, revision, (r, a, f, n) => {
        const arn = `arn:aws:ecs:${r}:${a}:task-definition/${f}:${n}`;
        expect(taskDefinitionOf("--task-definition-arn", arn, r)).toBe(arn);
      }),
      params,
    );
  });

  it("one from another region is refused, naming both regions", () => {
    fc.assert(
      fc.property(region, region, account, family, revision, (r, other, a, f, n) => {
        fc.pre(r !== other);
        const arn = `arn:aws:ecs:${other}:${a}:task-definition/${f}:${n}`;
        expect(() => taskDefinitionOf("--task-definition-arn", arn, r)).toThrow(
          new RegExp(`--task-definition-arn is in region ${other} but the deployment is in ${r}`),
        );
      }),
      params,
    );
  });

  it("an ARN of another service or resource type is refused, naming what it is", () => {
    const service = fc.constantFrom("iam", "ec2", "elasticloadbalancing", "s3", "ecr");
    const kind = fc.constantFrom("role", "service", "cluster", "task", "repository");
    fc.assert(
      fc.property(region, service, kind, account, family, (r, s, k, a, f) => {
        const arn = `arn:aws:${s}:${r}:${a}:${k}/${f}`;
        expect(() => taskDefinitionOf("--task-definition-arn", arn, r)).toThrow(/--task-definition-arn must/);
      }),
      params,
    );
  });

  it("any text is accepted unchanged or refused with an InputError naming the input", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 80 })),
        region,
        (text, r) => {
          for (const check of [taskDefinitionOf, canaryInstanceOf]) {
            try {
              expect(check("--the-input", text, r)).toBe(text);
            } catch (error) {
              expect(error).toBeInstanceOf(InputError);
              expect((error as Error).message).toContain("--the-input");
            }
          }
        },
      ),
      params,
    );
  });
});

const component = fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*$/).filter((s) => s.length <= 30);
const tag = fc.stringMatching(/^\w[\w.-]{0,40}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);
const registry = fc.oneof(
  fc.tuple(account, region).map(([a, r]) => `${a}.dkr.ecr.${r}.amazonaws.com`),
  fc.constantFrom("public.ecr.aws", "ghcr.io", "localhost:5000", "registry.example.com:443"),
);

describe("image references", () => {
  it("registry/repository:tag@digest splits back into the parts it was built from", () => {
    fc.assert(
      fc.property(
        fc.option(registry, { nil: undefined }),
        fc.array(component, { minLength: 1, maxLength: 3 }),
        fc.option(tag, { nil: undefined }),
        fc.option(digest, { nil: undefined }),
        (reg, path, t, d) => {
          const repository = path.join("/");
          fc.pre(reg !== undefined || !/[.:]|^localhost$/.test(path[0] ?? "") || path.length === 1);
          const image = `${reg ? `${reg}/` : ""}${repository}${t ? `:${t}` : ""}${d ? `@${d}` : ""}`;
          const ref = parseImage(image);
          expect(ref).toEqual({
            image,
            repository,
            ...(reg ? { registry: reg } : {}),
            ...(t ? { tag: t } : {}),
            ...(d ? { digest: d } : {}),
          });
        },
      ),
      params,
    );
  });

  it("any text is a reference with a valid repository name or a one-line error, never a crash", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (text) => {
        const ref = parseImage(text);
        if ("error" in ref) expect(ref.error).not.toContain("\n".repeat(2));
        else expect(ref.repository).toMatch(/^[a-z0-9._/-]+$/);
      }),
      params,
    );
  });
});

describe("templating deploy-context JSON", () => {
  const value = fc.oneof(
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.constantFrom('", "injected": "x', "\\", '\\"', "\n", "}", "${OTHER}", "$${X}", "\u2028", "</script>"),
  );

  it("any environment value lands inside its string: the JSON keeps its shape and holds the value exactly", () => {
    fc.assert(
      fc.property(value, value, (tagValue, other) => {
        const text = '{"image": "web:${TAG}", "env": [{"name": "RELEASE", "value": "${TAG}"}], "x": "${OTHER}"}';
        const { text: out, missing } = renderTemplate(text, { TAG: tagValue, OTHER: other });
        expect(missing).toEqual([]);
        expect(JSON.parse(out)).toEqual({
          image: `web:${tagValue}`,
          env: [{ name: "RELEASE", value: tagValue }],
          x: other,
        });
      }),
      params,
    );
  });

  it("a value is inserted once: a ${NAME} inside a value is not expanded again", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (secret) => {
        const { text } = renderTemplate('{"a": "${A}"}', { A: "${B}", B: secret });
        expect(JSON.parse(text)).toEqual({ a: "${B}" });
      }),
      params,
    );
  });
});
