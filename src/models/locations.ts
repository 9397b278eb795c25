// Where other tools keep GGUF models on this machine. Paths come from the home folder and the tools' own
// environment variables, both passed in, so tests can lay out each store in a temp folder; paths follow the
// given platform's rules (Windows separators and drive letters), so every platform's layout is tested anywhere.
import { pathRulesFor } from "../platform/paths";

export type StoreKind = "huggingface" | "lmstudio" | "ollama" | "node-llama-cpp" | "user";

export interface StoreLocation {
  kind: StoreKind;
  /** The folder to scan (for Ollama: the models folder holding `manifests/` and `blobs/`). */
  path: string;
}

export interface LocationEnvironment {
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}

/** The default stores, most specific first; missing folders are simply skipped by discovery. */
export function defaultStoreLocations({ home: givenHome, env, platform }: LocationEnvironment): StoreLocation[] {
  const { join } = pathRulesFor(platform);
  // Ollama and the Hugging Face hub take the home folder from %USERPROFILE% on Windows.
  const home = platform === "win32" ? env.USERPROFILE || givenHome : givenHome;
  const locations: StoreLocation[] = [];
  const hfHome = env.HF_HOME || join(env.XDG_CACHE_HOME || join(home, ".cache"), "huggingface");
  locations.push({ kind: "huggingface", path: env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(hfHome, "hub") });

  locations.push({ kind: "lmstudio", path: join(home, ".lmstudio", "models") });
  locations.push({ kind: "lmstudio", path: join(home, ".cache", "lm-studio", "models") });

  if (env.OLLAMA_MODELS) locations.push({ kind: "ollama", path: env.OLLAMA_MODELS });
  locations.push({ kind: "ollama", path: join(home, ".ollama", "models") });
  if (platform === "linux") locations.push({ kind: "ollama", path: "/usr/share/ollama/.ollama/models" });

  locations.push({ kind: "node-llama-cpp", path: join(home, ".node-llama-cpp", "models") });
  return locations;
}
