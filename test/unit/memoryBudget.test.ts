// The memory budget (freehold.model.memoryBudgetMB, `freehold models --memory-budget-mb N`): Freehold plans
// within it, so two models that fit the machine but not the budget are reported as not fitting together.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { withMemoryBudget, type HardwareState } from "../../src/models/hardware";
import { planRoleMemory } from "../../src/models/rolePlan";
import type { ModelsReport } from "../../src/models/report";
import { scriptedModelPath } from "../helpers/models";

const MB = 1048576;
const machine: HardwareState = { totalRamBytes: 16_000 * MB, freeRamBytes: 8_000 * MB, cpuCores: 8, supportedGpuTypes: [], notes: [] };

test("a budget below free RAM caps it, with a note; none, 0, or one above free RAM leaves the machine as it is", () => {
  const capped = withMemoryBudget(machine, 1_000 * MB);
  assert.equal(capped.freeRamBytes, 1_000 * MB);
  assert.deepEqual(capped.notes, ["planning within the memory budget of 1000 MB"]);
  assert.equal(capped.totalRamBytes, machine.totalRamBytes);
  assert.equal(withMemoryBudget(machine, undefined), machine);
  assert.equal(withMemoryBudget(machine, 0), machine);
  assert.equal(withMemoryBudget(machine, 9_000 * MB), machine);
});

let folder: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), "freehold-budget-"));
  await copyFile(await scriptedModelPath("budget-fim", "a + b;"), join(folder, "fim.gguf"));
  await copyFile(await scriptedModelPath("budget-chat", "## Sum\n\nadd them\n", { family: "none" }), join(folder, "chat.gguf"));
});
after(() => rm(folder, { recursive: true, force: true }));

function models(...extra: string[]): ModelsReport {
  const run = spawnSync(process.execPath, [resolve("bin/freehold.mjs"), "models", "--json", "--search-path", folder, "--context-size", "2048", "--gpu-layers", "0", ...extra], { encoding: "utf8", timeout: 120_000, cwd: folder });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as ModelsReport;
}

test("`freehold models --memory-budget-mb`: each model is planned within the budget, and two that each fit do not fit together", () => {
  const free = models();
  const need = (report: ModelsReport, name: string) => report.models.find((m) => m.name === name)?.fit?.ramBytes ?? NaN;
  const fim = need(free, "fim.gguf");
  const chat = need(free, "chat.gguf");
  assert.ok(fim > 0 && chat > 0, `both models assessed (${fim}, ${chat} bytes)`);
  // A budget that holds either model alone but not both.
  const budgetMb = Math.ceil((Math.max(fim, chat) * 1.3) / MB * 100) / 100;
  assert.ok(budgetMb * MB < fim + chat, "the budget is below both together");
  const capped = models("--memory-budget-mb", String(budgetMb));
  assert.equal(capped.hardware.freeRamBytes, budgetMb * MB);
  assert.match(capped.hardware.notes.at(-1) ?? "", /planning within the memory budget/);
  const plan = planRoleMemory({ name: "fim.gguf", ramBytes: need(capped, "fim.gguf") }, { name: "chat.gguf", ramBytes: need(capped, "chat.gguf") }, capped.hardware.freeRamBytes);
  assert.equal(plan.level, "too-big");
  assert.deepEqual(plan.choices, ["smaller-chat-model", "chat-on-demand", "one-model-for-both"]);
  assert.ok(free.hardware.freeRamBytes > fim + chat, "without the budget this machine holds both");
  const bad = spawnSync(process.execPath, [resolve("bin/freehold.mjs"), "models", "--memory-budget-mb", "lots"], { encoding: "utf8" });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /^freehold: --memory-budget-mb must be a number of megabytes/);
});
