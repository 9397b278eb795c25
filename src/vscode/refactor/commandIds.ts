// Command ids of the refactor feature (package.json contributes the same).
import type { RefactorActionId } from "../../refactor/actionPrompts";

export const REFACTOR_COMMANDS = {
  explain: "freehold.refactor.explain",
  refactor: "freehold.refactor.refactor",
  fix: "freehold.refactor.fix",
  document: "freehold.refactor.addDocumentation",
  tests: "freehold.refactor.generateTests",
} as const satisfies Record<RefactorActionId, string>;

export const RUN_PROMPT_COMMAND = "freehold.refactor.runPrompt";
export const SHOW_LAST_PROMPT_COMMAND = "freehold.refactor.showLastPrompt";
export const OPEN_PROMPTS_FOLDER_COMMAND = "freehold.refactor.openPromptsFolder";
