// Settings a workspace must not choose for the user: which file the native model loader opens (GGUF parsing
// runs native code on it), where models are looked for and written, and how much memory and CPU the worker
// takes. Each key here is listed in package.json's `capabilities.untrustedWorkspaces.restrictedConfigurations`
// (VS Code then ignores workspace values in Restricted Mode) and Freehold reads it through
// vscode/trust.ts, which uses only the user's own value in Restricted Mode. Path settings are also
// `machine` scoped in package.json, so no workspace can set them at all, trusted or not.
// test/unit/security/trustSettings.test.ts keeps this list, package.json and the scopes in step: a new model
// setting (a role's model path, say) is added here and to package.json, and the test says what is missing.

/** Settings naming a file or folder: machine scope, never from a workspace. */
export const MACHINE_PATH_SETTINGS = [
  "freehold.completions.model",
  "freehold.chat.model",
  "freehold.model.path",
  "freehold.model.searchPaths",
  "freehold.model.downloadFolder",
  "freehold.chat.modelPath",
  "freehold.prompts.userFolder",
] as const;

/** Settings naming a server that code is sent to: machine scope, never from a workspace (a repository must not send your code anywhere). */
export const MACHINE_SERVER_SETTINGS = ["freehold.completions.server", "freehold.chat.server"] as const;

/** Settings of the worker's resources: a workspace value counts only in a trusted workspace. */
export const RESOURCE_SETTINGS = ["freehold.model.contextSize", "freehold.model.threads", "freehold.model.gpuLayers"] as const;

export const RESTRICTED_SETTINGS: readonly string[] = [...MACHINE_PATH_SETTINGS, ...MACHINE_SERVER_SETTINGS, ...RESOURCE_SETTINGS];

export function isRestrictedSetting(key: string): boolean {
  return RESTRICTED_SETTINGS.includes(key);
}
