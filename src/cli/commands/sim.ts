/** `cage sim serve ...`: the AWS simulator on loopback, with a world file (`FILE#variant` picks a variant). */
import { runSimServe } from "../../sim/serve.js";
import type { CliIo } from "../io.js";

const USAGE = "usage: cage sim serve --world FILE[#variant] [--host 127.0.0.1] [--port N] [--time-scale K] [--seed S]";

export async function simCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "serve") return runSimServe(rest);
  const help = sub === "--help";
  io[help ? "out" : "err"](sub === undefined || help ? USAGE : `cage sim: unknown subcommand '${sub}'; try: serve`);
  return help ? 0 : 2;
}
