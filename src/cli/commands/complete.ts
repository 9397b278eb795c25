import { resolve } from "node:path";
import { DEFAULTS } from "../../config/defaults";
import { offsetAt, parseFilePosition, readSourceFile } from "../../completion/cursorDocument";
import { createEngine, modelParams, type ModelFlags } from "../engine";
import { UsageError } from "../usage";

export interface CompleteFlags extends ModelFlags {
  json?: boolean;
  "max-tokens"?: string;
  verbose?: boolean;
}

export async function complete(spec: string | undefined, flags: CompleteFlags): Promise<void> {
  if (!spec) throw new UsageError("complete needs FILE:LINE:COL.");
  const position = parseFilePosition(spec);
  const text = await readSourceFile(resolve(position.path));
  const offset = offsetAt(text, position.line, position.column);
  const params = modelParams(flags);

  const engine = createEngine(flags.verbose ?? false);
  try {
    engine.setModel(params);
    await engine.ensureModel();
    const maxTokens = flags["max-tokens"] ? Number(flags["max-tokens"]) : DEFAULTS.completion.maxTokens;
    const result = await engine.complete(
      {
        infill: {
          prefix: text.slice(Math.max(0, offset - DEFAULTS.completion.prefixChars), offset),
          suffix: text.slice(offset, offset + DEFAULTS.completion.suffixChars),
        },
        maxTokens,
        timeLimitMs: DEFAULTS.completion.timeLimitMs,
      },
      { onEvent: flags.json ? undefined : (event) => process.stdout.write(event.text) },
    );
    if (flags.json) {
      const { stats } = result;
      process.stdout.write(
        `${JSON.stringify({
          completion: result.text,
          promptTokens: stats.promptTokens,
          reusedTokens: stats.reusedTokens,
          evaluatedTokens: stats.evaluatedTokens,
          generatedTokens: stats.generatedTokens,
          ttftMs: stats.ttftMs,
          totalMs: stats.totalMs,
          stopReason: result.stopReason,
        })}\n`,
      );
    } else {
      process.stdout.write("\n");
    }
  } finally {
    await engine.dispose();
  }
}
