import { randomUUID } from "node:crypto";
import { DEFAULTS } from "../../config/defaults";
import { createEngine, modelParams, type ModelFlags } from "../engine";
import { UsageError } from "../usage";

export async function chat(message: string | undefined, flags: ModelFlags & { verbose?: boolean; "max-tokens"?: string }): Promise<void> {
  if (!message) throw new UsageError('chat needs a message: freehold chat --model MODEL "message"');
  const engine = createEngine(flags.verbose ?? false);
  try {
    engine.setModel(modelParams(flags));
    await engine.chat(
      {
        conversationId: randomUUID(),
        history: [],
        message,
        maxTokens: flags["max-tokens"] ? Number(flags["max-tokens"]) : DEFAULTS.chat.maxTokens,
        timeLimitMs: DEFAULTS.chat.timeLimitMs,
      },
      { onEvent: (event) => process.stdout.write(event.text) },
    );
    process.stdout.write("\n");
  } finally {
    await engine.dispose();
  }
}
