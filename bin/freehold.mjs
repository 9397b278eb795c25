#!/usr/bin/env node
// The `freehold` command: a thin launcher for the bundled CLI in dist/.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli.mjs", import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write("freehold: the CLI is not built yet; run `npm run build` first.\n");
  process.exit(2);
}
await import(pathToFileURL(cli).href);
