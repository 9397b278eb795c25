#!/usr/bin/env node
// Runs the integration suites (out/test/suite) in a real VS Code through @vscode/test-electron's runTests.
// Desktop VS Code when FREEHOLD_VSCODE_DESKTOP=1 (test-electron downloads it); otherwise the same suites run
// in VS Code's server build through test/vscode/code-shim.mjs (this machine cannot download desktop VS Code).
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runTests } from "@vscode/test-electron";

const root = resolve(import.meta.dirname, "..", "..");
const extensionTestsPath = join(root, "out", "test", "suite", "index.js");
if (!existsSync(extensionTestsPath)) {
  console.error("freehold: out/test/suite/index.js is missing; run `npm run build` first.");
  process.exit(1);
}
const workspace = mkdtempSync(join(tmpdir(), "freehold-workspace-"));
mkdirSync(join(workspace, ".vscode"));
writeFileSync(join(workspace, ".vscode", "settings.json"), JSON.stringify(JSON.parse(process.env.FREEHOLD_TEST_SETTINGS ?? "{}"), null, 2));
writeFileSync(join(workspace, "sample.ts"), "export function add(a: number, b: number): number {\n  return a + b;\n}\n");

const desktop = process.env.FREEHOLD_VSCODE_DESKTOP === "1";
try {
  const code = await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath,
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust"],
    ...(desktop ? {} : { vscodeExecutablePath: join(root, "test", "vscode", "code-shim.mjs") }),
  });
  process.exit(code);
} catch (error) {
  console.error(`freehold: integration suites failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
