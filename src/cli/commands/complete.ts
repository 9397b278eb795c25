import { basename, relative, resolve, sep } from "node:path";
import { offsetAt, parseFilePosition, readSourceFile } from "../../completion/cursorDocument";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type MultilineSetting } from "../../completion/pipeline";
import { languageOfPath } from "../../context/languages";
import { createContextSource } from "../contextSource";
import { createEngine, modelParams, type ModelFlags } from "../engine";
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
  if (!spec) throw new UsageError("complete needs FILE:LINE:COL.");
  const position = parseFilePosition(spec);
  const file = resolve(position.path);
  const text = await readSourceFile(file);
  const offset = offsetAt(text, position.line, position.column);
  const params = modelParams(flags);
  const multiline = (flags.multiline ?? "auto") as MultilineSetting;
  if (!["auto", "always", "never"].includes(multiline)) throw new UsageError("--multiline takes auto, always or never.");
  const workspace = resolve(flags.workspace ?? process.cwd());
  let relativePath = relative(workspace, file).split(sep).join("/");
  if (relativePath.startsWith("..")) relativePath = basename(file);

  const engine = createEngine(flags.verbose ?? false);
  try {
    engine.setModel(params);
    await engine.ensureModel();
    const maxTokens = flags["max-tokens"] ? Number(flags["max-tokens"]) : undefined;
    const pipeline = new CompletionPipeline(engine, await createContextSource(workspace), {
      ...DEFAULT_COMPLETION_OPTIONS,
      multiline,
      maxTokensSingle: maxTokens ?? DEFAULT_COMPLETION_OPTIONS.maxTokensSingle,
      maxTokensMulti: maxTokens ?? DEFAULT_COMPLETION_OPTIONS.maxTokensMulti,
    });
    const outcome = await pipeline.complete({ key: file, relativePath, languageId: languageOfPath(file) ?? "plaintext", text, offset, repoName: basename(workspace) });
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
