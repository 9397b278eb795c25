// A short `npm run chaos` (20 rounds) as part of the unit layer: random faults against the real worker, every
// invariant checked after each round (see scripts/chaos.ts). The seed is printed, so a failure can be re-run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";

test("20 rounds of fault injection violate no invariant", { timeout: 15 * 60_000 }, async () => {
  const seed = String(Date.now() % 100000);
  const child = spawn(process.execPath, ["--import", "tsx", resolve("scripts/chaos.ts"), "--rounds", "20", "--seed", seed, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let table = "";
  child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
  child.stderr.on("data", (data: Buffer) => (table += data.toString()));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { rounds?: number; violations?: unknown[]; faults?: Record<string, number> };
  assert.equal(report.rounds, 20, `chaos ran (exit ${code}):\n${table}`);
  assert.deepEqual(report.violations, [], `seed ${seed}:\n${table}`);
  assert.equal(code, 0, table);
  assert.equal(Object.values(report.faults ?? {}).reduce((a, b) => a + b, 0), 20);
});
