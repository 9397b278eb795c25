// The VS Code targets Freehold is packaged for, each with the node-llama-cpp prebuilt binary packages its
// platform loads and the native file format a test expects in its VSIX (see DESIGN.md "Platform packages").
//
// getLlama({ gpu: "auto", build: "never" }) tries the GPU backends the machine has drivers for, in order, and
// falls back to the CPU package; each backend is a separate npm package (`@node-llama-cpp/<name>`), imported by
// name from node-llama-cpp's own folder, so a package is found when it sits in the VSIX's node_modules.

/** @typedef {{ format: "mach-o" | "pe" | "elf", cpu: "arm64" | "x64" }} NativeKind */
/** @typedef {{ binaries: string[], optIn: string[], native: NativeKind, gpu: string }} Target */

/** @type {Record<string, Target>} */
export const TARGETS = {
  "darwin-arm64": { binaries: ["mac-arm64-metal"], optIn: [], native: { format: "mach-o", cpu: "arm64" }, gpu: "Metal" },
  "darwin-x64": { binaries: ["mac-x64"], optIn: [], native: { format: "mach-o", cpu: "x64" }, gpu: "none (CPU)" },
  "win32-x64": {
    binaries: ["win-x64", "win-x64-vulkan"],
    optIn: ["win-x64-cuda", "win-x64-cuda-ext"],
    native: { format: "pe", cpu: "x64" },
    gpu: "Vulkan (CUDA: opt-in)",
  },
  "win32-arm64": { binaries: ["win-arm64"], optIn: [], native: { format: "pe", cpu: "arm64" }, gpu: "none (CPU)" },
  "linux-x64": {
    binaries: ["linux-x64", "linux-x64-vulkan"],
    optIn: ["linux-x64-cuda", "linux-x64-cuda-ext"],
    native: { format: "elf", cpu: "x64" },
    gpu: "Vulkan (CUDA: opt-in)",
  },
  "linux-arm64": { binaries: ["linux-arm64"], optIn: [], native: { format: "elf", cpu: "arm64" }, gpu: "none (CPU)" },
};

export const ALL_TARGETS = Object.keys(TARGETS);

/** The npm package name of a node-llama-cpp prebuilt binary. */
export const binaryPackage = (name) => `@node-llama-cpp/${name}`;

/** The binary packages a VSIX for `target` carries; `withOptIn` adds the CUDA ones (`--cuda`). */
export function binaryPackagesFor(target, { withOptIn = false } = {}) {
  const entry = TARGETS[target];
  if (!entry) throw new Error(`Unknown target "${target}"; one of ${ALL_TARGETS.join(", ")} or "all".`);
  return [...entry.binaries, ...(withOptIn ? entry.optIn : [])].map(binaryPackage);
}

/** `--target` value → the targets to package ("all" is every target; a comma list is allowed). */
export function parseTargets(value, host = `${process.platform}-${process.arch}`) {
  const names = !value ? [host] : value === "all" ? ALL_TARGETS : value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of names) binaryPackagesFor(name);
  return names;
}
