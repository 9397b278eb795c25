// `freehold.completions.languages`: language id → inline completions on or off, with "*" as the default for the rest.

export type LanguageSwitches = Readonly<Record<string, boolean>>;

/** Whether inline completions are on for `languageId` (its own entry, else "*", else on). */
export function completionsOnFor(languages: LanguageSwitches, languageId: string): boolean {
  return languages[languageId] ?? languages["*"] ?? true;
}

/**
 * The setting with `languageId` switched `on` or off. An entry that would only repeat the default ("*") is dropped,
 * so switching a language off and on again leaves the setting as it was.
 */
export function switchLanguage(languages: LanguageSwitches, languageId: string, on: boolean): Record<string, boolean> {
  const switched: Record<string, boolean> = { ...languages };
  if (languageId !== "*" && on === (languages["*"] ?? true)) delete switched[languageId];
  else switched[languageId] = on;
  return switched;
}
