const HASH = new Set(["python", "ruby", "shellscript", "perl", "r", "yaml", "toml", "dockerfile", "makefile", "powershell", "elixir", "julia"]);
const DASH = new Set(["lua", "sql", "haskell"]);

/** The line-comment marker of a VS Code language id ("//" when unknown). */
export function lineComment(languageId: string): string {
  if (HASH.has(languageId)) return "#";
  if (DASH.has(languageId)) return "--";
  return "//";
}
