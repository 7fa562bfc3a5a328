import { createAwsPorts } from "../aws/clients.js";

export async function runCli(argv: string[]): Promise<number> {
  if (argv[0] === "x") createAwsPorts({ region: "us-east-1" });
  console.log("cage");
  return 0;
}
