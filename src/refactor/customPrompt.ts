// What a prompt file sends to the model: its rendered body, verbatim, as the user message.
import { SYSTEM_PROMPT } from "./actionPrompts";
import { renderPrompt, type PromptFile, type PromptVariable } from "./promptFile";
import type { ModelPrompt } from "./types";

const REWRITE_SYSTEM = `${SYSTEM_PROMPT} When asked to change code, reply with only the complete replacement code in one fenced code block, without explanation.`;

export function buildCustomPrompt(prompt: PromptFile, values: Partial<Record<PromptVariable, string>>): ModelPrompt {
  return { system: prompt.mode === "rewrite" ? REWRITE_SYSTEM : SYSTEM_PROMPT, message: renderPrompt(prompt.body, values) };
}
