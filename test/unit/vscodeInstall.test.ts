// The test harness's VS Code server check says why a server build does not start (issue 10, item 8).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { probe } from "../vscode/install.mjs";

test("a server build that fails to start is reported with its exit code, stderr and stdout", async () => {
  const dir = await mkdtemp(join(tmpdir(), "freehold-install-probe-"));
  try {
    const entry = join(dir, "entry.js");
    await writeFile(entry, `process.stdout.write("partial output\\n"); process.stderr.write("Error: Cannot find module 'spdlog'\\n"); process.exit(3);\n`);
    const result = await probe({ root: dir, nodeDir: dir, node: process.execPath, entry });
    assert.equal(result.ok, false);
    assert.match(result.detail, /failed: exit code 3/);
    assert.match(result.detail, /stderr: Error: Cannot find module 'spdlog'/);
    assert.match(result.detail, /stdout: partial output/);
    const missing = await probe({ root: dir, nodeDir: dir, node: process.execPath, entry: join(dir, "nope.js") });
    assert.match(missing.detail, /nope\.js is missing/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
