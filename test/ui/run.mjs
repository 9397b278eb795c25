#!/usr/bin/env node
// Runs the UI tests (*.ui.mjs) against VS Code's server build in headless Chromium.
//   node test/ui/run.mjs [--vsix FILE] [--grep TEXT]
// Ends with "N passed, N failed"; exits non-zero on any failure.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { writeModelFile } from "./models.mjs";

const { values } = parseArgs({ options: { vsix: { type: "string" }, grep: { type: "string" } } });
const modelPath = await writeModelFile();
let passed = 0;
let failed = 0;
for (const file of readdirSync(import.meta.dirname).filter((f) => f.endsWith(".ui.mjs")).sort()) {
  const { tests } = await import(pathToFileURL(join(import.meta.dirname, file)).href);
  for (const test of tests) {
    if (values.grep && !test.name.includes(values.grep)) continue;
    if (values.vsix && !test.vsix) continue;
    const started = Date.now();
    try {
      await test.run({ modelPath, vsix: values.vsix });
      passed++;
      console.log(`  ✔ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      console.log(`  ✖ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n    ${String(error?.stack ?? error).split("\n").join("\n    ")}`);
    }
  }
}
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
