// Refactor commands' pure logic: prompts per action, output cleaning, prompt files.
export * from "./types";
export * from "./actionPrompts";
export * from "./cleanOutput";
export * from "./customPrompt";
export * from "./docStyle";
export * from "./promptFile";
export * from "./testFiles";
