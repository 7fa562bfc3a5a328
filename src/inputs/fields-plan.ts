/** The fields of the plan side (see fields.ts): images set by container name, and `diff`'s exit code. */
import { ACTION, type At, bool, CLI, type Field } from "./field.js";
import { InputError } from "./validate.js";

const CONTAINER = /^[A-Za-z0-9_-]{1,255}$/;

/** `container=reference` entries, one per line (the action) or one per `--image` (the CLI, joined by lines). */
export function imagesOf(label: string, value: string): ReadonlyMap<string, string> {
  const images = new Map<string, string>();
  for (const entry of value.split("\n").map((line) => line.trim())) {
    if (entry === "") continue;
    const at = entry.indexOf("=");
    const container = entry.slice(0, Math.max(0, at)).trim();
    const image = entry.slice(at + 1).trim();
    if (at <= 0 || !CONTAINER.test(container) || image === "" || /\s/.test(image)) {
      throw new InputError(
        `${label} takes container=image entries like app=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2, got '${entry}'`,
      );
    }
    if (images.has(container)) throw new InputError(`${label} sets the image of container '${container}' twice`);
    images.set(container, image);
  }
  return images;
}

const images = (value: string, at: At) => imagesOf(at.label, value);

export const PLAN_FIELDS = {
  images: {
    name: "images",
    offeredBy: ACTION,
    flag: "value",
    description:
      "Images to deploy, one `container=image` per line (e.g. `app=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2`): each replaces that container's image in `task-definition.json`, without templating.",
    parse: images,
  },
  image: {
    name: "image",
    offeredBy: CLI,
    flag: "value",
    repeatable: true,
    valueName: "container=image",
    description: "set a container's image in task-definition.json, without templating (repeatable)",
    parse: images,
  },
  exitCode: {
    name: "exit-code",
    offeredBy: CLI,
    flag: "switch",
    default: "false",
    description: "exit 1 when the deploy context would change the live service",
    parse: bool,
  },
  /** The action's `--exit-code`: an input named exit-code would read as the output of that name (`run`'s). */
  failOnChanges: {
    name: "fail-on-changes",
    offeredBy: ACTION,
    flag: "switch",
    default: "false",
    description: "`diff` only: fail the step when the deploy context would change the live service.",
    parse: bool,
  },
} as const satisfies Record<string, Field>;
