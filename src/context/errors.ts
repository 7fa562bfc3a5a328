/** The deploy context's own error: every problem found, one line each. */

/** A deploy context that cannot be used; `problems` are one line each, naming file, line and JSON path. */
export class DeployContextError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `the deploy context has ${problems.length} problems:\n  ${problems.join("\n  ")}`,
    );
    this.name = "DeployContextError";
  }
}
