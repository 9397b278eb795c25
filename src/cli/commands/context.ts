import { basename, relative, resolve, sep } from "node:path";
import { offsetAt, parseFilePosition, readSourceFile } from "../../completion/cursorDocument";
import { buildPrompt, promptText } from "../../completion/prompt/buildPrompt";
import { detectFamily, FAMILY_PROBE_TOKENS } from "../../completion/prompt/families";
import { languageOfPath } from "../../context/languages";
import { createContextSource } from "../contextSource";
import { UsageError } from "../usage";

const FAMILY_TOKENS: Record<string, string[]> = {
  qwen: ["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|repo_name|>", "<|file_sep|>"],
  starcoder: ["<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<repo_name>", "<file_sep>"],
  deepseek: ["<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"],
  codellama: ["▁<PRE>", "▁<SUF>", "▁<MID>"],
  codestral: ["[PREFIX]", "[SUFFIX]", "[MIDDLE]"],
};

/** `freehold context FILE:LINE:COL [--workspace DIR] [--family F] --json`: what the model would see, and why. */
export async function context(spec: string | undefined, flags: { workspace?: string; family?: string; json?: boolean }): Promise<void> {
  if (!spec) throw new UsageError("context needs FILE:LINE:COL.");
  const position = parseFilePosition(spec);
  const file = resolve(position.path);
  const text = await readSourceFile(file);
  const offset = offsetAt(text, position.line, position.column);
  const workspace = resolve(flags.workspace ?? process.cwd());
  const relativePath = relative(workspace, file).split(sep).join("/");
  if (relativePath.startsWith("..")) throw new UsageError(`${position.path} is outside the workspace ${workspace}.`);
  const family = flags.family ?? "qwen";
  const tokens = FAMILY_TOKENS[family];
  if (!tokens) throw new UsageError(`--family must be one of ${Object.keys(FAMILY_TOKENS).join(", ")}.`);
  const { tokens: familyTokens } = detectFamily({ specialTokens: tokens.filter((t) => FAMILY_PROBE_TOKENS.includes(t)), fimTokens: {} });

  const source = await createContextSource(workspace);
  const languageId = languageOfPath(file) ?? "plaintext";
  const built = await source.build({ key: file, relativePath, languageId, text, offset, repoName: basename(workspace) }, "auto");
  const prompt = promptText(
    buildPrompt(familyTokens!, { repoName: basename(workspace), path: relativePath, languageId, snippets: built.snippets, prefix: built.prefix, linePrefix: built.linePrefix, suffix: built.suffix }),
  );
  const result = {
    prefix: built.prefix + built.linePrefix,
    suffix: built.suffix,
    snippets: built.snippets.map(({ path, startLine, endLine, reason, text: snippetText }) => ({ path, startLine, endLine, reason, text: snippetText })),
    multiline: built.multiline,
    notes: built.notes ?? [],
    prompt,
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const s of result.snippets) process.stdout.write(`${s.path}:${s.startLine}-${s.endLine} (${s.reason})\n`);
  process.stdout.write(`\n${prompt}\n`);
}
