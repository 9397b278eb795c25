import { randomUUID } from "node:crypto";
import { DEFAULTS } from "../../config/defaults";
import { ChatTurns } from "../../chat/chatTurn";
import { engineFromFlags, type ModelFlags } from "../engine";
import { UsageError } from "../usage";

export async function chat(message: string | undefined, flags: ModelFlags & { verbose?: boolean; "max-tokens"?: string }): Promise<void> {
  if (!message) throw new UsageError('chat needs a message: freehold chat --model MODEL "message" (or --server URL)');
  const engine = engineFromFlags(flags, flags.verbose ?? false);
  try {
    // The same turn logic as the chat view: budgeted to the model's context, streamed.
    const outcome = await new ChatTurns(engine).run({
      conversationId: randomUUID(),
      messages: [],
      text: message,
      maxTokens: flags["max-tokens"] ? Number(flags["max-tokens"]) : DEFAULTS.chat.maxTokens,
      timeLimitMs: DEFAULTS.chat.timeLimitMs,
      onText: (text) => process.stdout.write(text),
    });
    process.stdout.write("\n");
    for (const note of outcome.user.notes ?? []) process.stderr.write(`note: ${note}\n`);
  } finally {
    await engine.dispose();
  }
}
