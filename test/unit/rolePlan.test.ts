// Memory planning for two models by role (pure): both fit, barely fit, or do not fit and the choices offered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { planRoleMemory } from "../../src/models/rolePlan";

const GB = 1024 ** 3;

test("two models that fit together in free memory", () => {
  const plan = planRoleMemory({ name: "coder-0.5b.gguf", ramBytes: 0.7 * GB }, { name: "instruct-1.5b.gguf", ramBytes: 1.6 * GB }, 8 * GB);
  assert.equal(plan.level, "fits");
  assert.equal(plan.ramBytes, 2.3 * GB);
  assert.deepEqual(plan.choices, []);
  assert.equal(plan.message, "Fit together: coder-0.5b.gguf (completions, 717 MB) and instruct-1.5b.gguf (chat, 1.6 GB) need 2.3 GB RAM, 8.0 GB free.");
});

test("two models that exceed free memory together: said so, with the three choices", () => {
  const plan = planRoleMemory({ name: "coder-1.5b.gguf", ramBytes: 1.8 * GB }, { name: "instruct-7b.gguf", ramBytes: 5.5 * GB }, 6 * GB);
  assert.equal(plan.level, "too-big");
  assert.match(plan.message, /^Do not fit together: .* need 7\.3 GB RAM, 6\.0 GB free\.$/);
  assert.deepEqual(plan.choices, ["smaller-chat-model", "chat-on-demand", "one-model-for-both"]);
});

test("within 80% of free memory is tight; one model for both counts once", () => {
  assert.equal(planRoleMemory({ name: "a", ramBytes: 3 * GB }, { name: "b", ramBytes: 2 * GB }, 6 * GB).level, "tight");
  const shared = planRoleMemory({ name: "a.gguf", ramBytes: 3 * GB }, undefined, 4 * GB);
  assert.equal(shared.ramBytes, 3 * GB);
  assert.equal(shared.level, "fits");
  assert.match(shared.message, /a\.gguf \(completions and chat\)/);
  assert.deepEqual(planRoleMemory({ name: "a", ramBytes: 5 * GB }, undefined, 4 * GB).choices, [], "nothing to choose between with one model");
});

test("the recommended pair keeps both loaded: the chat model is chosen in what the completion model leaves", async () => {
  const { recommendedPair, recommendedModel } = await import("../../src/models/catalog");
  const machine = (freeGib: number, cpuCores: number) => ({ freeRamBytes: freeGib * GB, cpuCores });
  const roomy = recommendedPair(machine(16, 8));
  assert.equal(roomy.completion.id, "qwen2.5-coder-3b-base-q4_k_m");
  assert.equal(roomy.chat.id, "qwen2.5-coder-7b-instruct-q4_k_m");
  assert.equal(roomy.ramBytes, roomy.completion.expectedRamBytes + roomy.chat.expectedRamBytes);
  // 4.5 GB free: alone the chat pick would be larger than what fits beside the completion model.
  const tight = recommendedPair(machine(4.5, 16));
  assert.ok(tight.ramBytes <= 4.5 * GB - 1.5 * GB, `${tight.completion.id} + ${tight.chat.id} fit with headroom`);
  assert.notEqual(tight.chat.id, recommendedModel("chat", machine(4.5, 16)).id, "the pair's chat model is smaller than the chat model alone");
});
