import { basename } from "node:path";
import { buildPrompt, promptText } from "../../completion/prompt/buildPrompt";
import { detectFamily, FAMILY_PROBE_TOKENS } from "../../completion/prompt/families";
import { createContextSource } from "../contextSource";
import { cliDocument } from "../document";
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
  const { file, workspace, relativePath, languageId, text, offset } = await cliDocument(spec, "context", flags.workspace);
  const family = flags.family ?? "qwen";
  const tokens = FAMILY_TOKENS[family];
  if (!tokens) throw new UsageError(`--family must be one of ${Object.keys(FAMILY_TOKENS).join(", ")}.`);
  const { tokens: familyTokens } = detectFamily({ specialTokens: tokens.filter((t) => FAMILY_PROBE_TOKENS.includes(t)), fimTokens: {} });

  const source = await createContextSource(workspace);
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
