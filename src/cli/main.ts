// `freehold`: the command-line interface on the same engine as the extension.
import { parseArgs } from "node:util";
import { EngineError } from "../engine/protocol";
import { InputError } from "../completion/cursorDocument";
import { makeModel } from "./commands/makeModel";
import { complete } from "./commands/complete";
import { chat } from "./commands/chat";
import { bench } from "./commands/bench";
import { context } from "./commands/context";
import { models } from "./commands/models";
import { USAGE, UsageError } from "./usage";

const OPTIONS = {
  shape: { type: "string" },
  out: { type: "string" },
  seed: { type: "string" },
  family: { type: "string" },
  script: { type: "string" },
  model: { type: "string" },
  server: { type: "string" },
  "server-kind": { type: "string" },
  "server-model": { type: "string" },
  json: { type: "boolean" },
  "max-tokens": { type: "string" },
  "context-size": { type: "string" },
  "gpu-layers": { type: "string" },
  threads: { type: "string" },
  verbose: { type: "boolean" },
  sessions: { type: "string" },
  keys: { type: "string" },
  "llama-build": { type: "string" },
  compare: { type: "string" },
  only: { type: "string" },
  engine: { type: "string" },
  editors: { type: "string" },
  workspace: { type: "string" },
  multiline: { type: "string" },
  "search-path": { type: "string", multiple: true },
  sha256: { type: "string" },
  "memory-budget-mb": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    if (!command && !values.help) process.exitCode = 1; // bad input: the one exit code for it
    return;
  }
  switch (command) {
    case "make-model":
      return makeModel(values);
    case "complete":
      return complete(rest[0], values);
    case "chat":
      return chat(rest.join(" ") || undefined, values);
    case "context":
      return context(rest[0], values);
    case "models":
      return models(rest, values);
    case "bench":
      return bench({ ...values, shape: values.shape });
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}.`);
  }
}

const verbose = process.argv.includes("--verbose");
main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`freehold: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write("Run `freehold --help` for usage.\n");
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  // 1: bad input or a failure explained in the message; 3: an unexpected error (a bug).
  const known = error instanceof UsageError || error instanceof InputError || error instanceof EngineError;
  process.exit(known ? 1 : 3);
});
