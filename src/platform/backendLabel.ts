// The status tooltip's line saying where the model runs: which GPU backend the packaged llama.cpp binary
// started (Metal, Vulkan, CUDA) and how many layers it offloaded, or the CPU.
import type { ModelInfo } from "../engine/protocol";

const NAMES: Record<string, string> = { metal: "Metal", vulkan: "Vulkan", cuda: "CUDA" };

export function backendLabel(model: Pick<ModelInfo, "gpu" | "gpuLayers" | "llamaBuild">): string {
  const build = model.llamaBuild === "native" ? "native llama.cpp build" : "prebuilt llama.cpp";
  if (model.gpu === false) return `Runs on: CPU (${build})`;
  const name = NAMES[model.gpu] ?? model.gpu;
  if (model.gpuLayers <= 0) return `Runs on: CPU (${name} available, no layers offloaded; ${build})`;
  return `Runs on: ${name} GPU, ${model.gpuLayers} ${model.gpuLayers === 1 ? "layer" : "layers"} offloaded (${build})`;
}
