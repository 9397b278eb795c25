// Memory planning for two models by role, from their GGUF-insight fits (each fit already counts its weights and
// its context): whether both fit together in free memory, and what to do when they do not.
import { gb } from "./fit";

export interface RoleNeed {
  name: string;
  /** RAM the model and its context take (ModelFit.ramBytes). */
  ramBytes: number;
}

export type RoleChoice = "smaller-chat-model" | "chat-on-demand" | "one-model-for-both";

export interface RoleMemoryPlan {
  level: "fits" | "tight" | "too-big";
  ramBytes: number;
  freeRamBytes: number;
  /** One line a user can read. */
  message: string;
  /** Offered when both do not fit (empty otherwise). */
  choices: RoleChoice[];
}

/** Above this share of free memory both still load but leave the rest of the machine short (as fit.ts). */
const TIGHT_SHARE = 0.8;

export const CHOICE_LABELS: Record<RoleChoice, string> = {
  "smaller-chat-model": "Choose a smaller chat model",
  "chat-on-demand": "Load the chat model only when asked (unloaded after the idle time)",
  "one-model-for-both": "Use one model for completions and chat",
};

/** `chat` undefined: chat shares the completion model (one load). */
export function planRoleMemory(completion: RoleNeed, chat: RoleNeed | undefined, freeRamBytes: number): RoleMemoryPlan {
  const ramBytes = completion.ramBytes + (chat?.ramBytes ?? 0);
  const level = ramBytes > freeRamBytes ? "too-big" : ramBytes > freeRamBytes * TIGHT_SHARE ? "tight" : "fits";
  const what = chat ? `${completion.name} (completions, ${gb(completion.ramBytes)}) and ${chat.name} (chat, ${gb(chat.ramBytes)})` : `${completion.name} (completions and chat)`;
  const head = level === "too-big" ? "Do not fit together" : level === "tight" ? "Fit together, barely" : "Fit together";
  const message = `${head}: ${what} need ${gb(ramBytes)} RAM, ${gb(freeRamBytes)} free.`;
  const choices: RoleChoice[] = level === "too-big" && chat ? ["smaller-chat-model", "chat-on-demand", "one-model-for-both"] : [];
  return { level, ramBytes, freeRamBytes, message, choices };
}
