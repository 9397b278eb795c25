// Runs the UI tests (test/ui/*.ui.ts, each exporting `tests: UiTest[]`) against VS Code's server build in
// headless Chromium, one fresh server, browser and workspace per test.
//   node --import tsx test/ui/run.ts [--vsix FILE] [--grep TEXT] [FILE.ui.ts …]
// --vsix runs the tests marked `vsix: true` against the extension installed from that package instead of the
// repository. Env: FREEHOLD_UI_TIMEOUT_MS (per test, default 5 min), FREEHOLD_UI_GREP.
// Ends with "ui: N passed, N failed"; exits non-zero on any failure.
import { readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { tinyModelPath } from "../helpers/models";
import type { UiTest } from "./harness";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { vsix: { type: "string" }, grep: { type: "string" } }, allowPositionals: true });
  const grep = values.grep ?? process.env.FREEHOLD_UI_GREP;
  const vsix = values.vsix ? resolve(values.vsix) : undefined;
  const files = positionals.length
    ? positionals.map((file) => resolve(file))
    : readdirSync(__dirname)
        .filter((file) => file.endsWith(".ui.ts"))
        .sort()
        .map((file) => join(__dirname, file));
  const defaultTimeout = Number(process.env.FREEHOLD_UI_TIMEOUT_MS || 5 * 60_000);
  const modelPath = await tinyModelPath({ family: "qwen", seed: 1 });
  console.log(`ui: ${vsix ? `packaged extension ${basename(vsix)}` : "extension under development"}, model ${modelPath}`);

  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let tests: UiTest[];
    try {
      tests = ((await import(file)) as { tests: UiTest[] }).tests;
      if (!Array.isArray(tests)) throw new Error("it exports no `tests` array");
    } catch (error) {
      failed++;
      console.log(`  ✖ ${basename(file)} failed to load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      continue;
    }
    console.log(`  ${basename(file)}`);
    for (const test of tests) {
      if (grep && !test.name.includes(grep)) continue;
      if (vsix && !test.vsix) continue;
      const started = Date.now();
      const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
      let timer: NodeJS.Timeout | undefined;
      const timeoutMs = test.timeoutMs ?? defaultTimeout;
      try {
        await Promise.race([
          test.run({ modelPath, vsix }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
          }),
        ]);
        passed++;
        console.log(`    ✔ ${test.name} (${seconds()} s)`);
      } catch (error) {
        failed++;
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.log(`    ✖ ${test.name} (${seconds()} s)\n      ${text.split("\n").join("\n      ")}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`ui: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.log("ui: 0 passed, 1 failed");
    process.exit(1);
  },
);
