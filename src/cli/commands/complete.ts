import { basename } from "node:path";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type MultilineSetting } from "../../completion/pipeline";
import { createContextSource } from "../contextSource";
import { cliDocument, integerFlag } from "../document";
import { engineFromFlags, type ModelFlags } from "../engine";
import { UsageError } from "../usage";

export interface CompleteFlags extends ModelFlags {
  json?: boolean;
  "max-tokens"?: string;
  multiline?: string;
  workspace?: string;
  verbose?: boolean;
}

/** `freehold complete FILE:LINE:COL`: the same pipeline as the editor's inline completions. */
export async function complete(spec: string | undefined, flags: CompleteFlags): Promise<void> {
  const { file, workspace, relativePath, languageId, text, offset } = await cliDocument(spec, "complete", flags.workspace);
  const multiline = (flags.multiline ?? "auto") as MultilineSetting;
  if (!["auto", "always", "never"].includes(multiline)) throw new UsageError("--multiline takes auto, always or never.");
  const maxTokens = integerFlag("max-tokens", flags["max-tokens"], 1, 4096);

  const engine = engineFromFlags(flags, flags.verbose ?? false);
  try {
    await engine.ensureModel();
    const pipeline = new CompletionPipeline(engine, await createContextSource(workspace), {
      ...DEFAULT_COMPLETION_OPTIONS,
      multiline,
      maxTokensSingle: maxTokens ?? DEFAULT_COMPLETION_OPTIONS.maxTokensSingle,
      maxTokensMulti: maxTokens ?? DEFAULT_COMPLETION_OPTIONS.maxTokensMulti,
    });
    const outcome = await pipeline.complete({ key: file, relativePath, languageId, text, offset, repoName: basename(workspace) });
    const completion = outcome.items[0]?.text ?? "";
    if (flags.json) {
      const stats = outcome.stats;
      process.stdout.write(
        `${JSON.stringify({
          completion,
          promptTokens: stats?.promptTokens ?? 0,
          reusedTokens: stats?.reusedTokens ?? 0,
          evaluatedTokens: stats?.evaluatedTokens ?? 0,
          generatedTokens: stats?.generatedTokens ?? 0,
          ttftMs: stats?.ttftMs ?? 0,
          totalMs: outcome.timings.totalMs,
          raw: outcome.raw,
          reason: outcome.reason,
          timings: outcome.timings,
        })}\n`,
      );
    } else {
      process.stdout.write(`${completion}\n`);
      if (!completion && outcome.reason) process.stderr.write(`freehold: no suggestion (${outcome.reason})\n`);
    }
  } finally {
    await engine.dispose();
  }
}
