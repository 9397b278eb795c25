// Entry of the integration suites, loaded by VS Code as extensionTestsPath (desktop VS Code through
// @vscode/test-electron, or the server build through test/vscode/code-shim.mjs). Runs every *.test.js next to
// this file (each test/suite/*.test.ts is its own bundle) with mocha's bdd UI. Every result goes through
// console.log, which reaches the harness; the last line is "integration: N passed, N failed, N pending".
// FREEHOLD_SUITE_GREP narrows the run to tests whose full title matches.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", color: false, reporter: "spec", timeout: 120_000, slow: 10_000 });
  const grep = process.env.FREEHOLD_SUITE_GREP;
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith(".test.js"))
    .sort();
  for (const file of files) mocha.addFile(join(__dirname, file));

  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      console.log(`integration: no *.test.js files in ${__dirname}`);
      console.log("integration: 0 passed, 1 failed, 0 pending");
      reject(new Error("no integration test files"));
      return;
    }
    let passed = 0;
    let failed = 0;
    let pending = 0;
    try {
      const runner = mocha.run((failures) => {
        // A failing hook counts as a failure too, without being a test; keep the counts consistent.
        failed = Math.max(failed, failures);
        console.log(`integration: ${passed} passed, ${failed} failed, ${pending} pending`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
      runner.on("pass", () => passed++);
      runner.on("fail", () => failed++);
      runner.on("pending", () => pending++);
    } catch (error) {
      // A suite file that throws while loading ends here.
      console.log(`integration: a suite failed to load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      console.log(`integration: 0 passed, 1 failed, 0 pending`);
      reject(error);
    }
  });
}
