// What a send, a retry and a regenerate do to a conversation, so that nothing the user typed is lost:
//   - a failed turn (not a Stop) keeps the user's message, marked failed with the reason, and saves it; Retry
//     runs it again;
//   - Regenerate keeps the previous answer until the new one has completed; a failed or stopped regeneration
//     leaves the conversation as it was.
// Saving can fail (a full disk): the conversation in memory still holds everything and the next save writes it.
// Pure logic, no vscode: the chat view and the fault-injection run use it alike.
import { ChatTurns, type TurnInput, type TurnOutcome } from "./chatTurn";
import type { Conversation, StoredMessage } from "./types";

/** How a turn runs: the turn input's limits and callbacks (the conversation and text come from the call). */
export type TurnOptions = Pick<TurnInput, "maxTokens" | "timeLimitMs" | "systemPrompt" | "signal" | "onAssembled" | "onText">;

export interface TurnEnd {
  kind: "answered" | "stopped" | "failed";
  /** Why the turn failed (kind "failed"). */
  error?: string;
  /** Why the conversation could not be saved; it is kept in memory and saved with the next change. */
  saveError?: string;
  outcome?: TurnOutcome;
}

export interface ConversationSaver {
  save(conversation: Conversation): Promise<void>;
}

export class ConversationTurns {
  constructor(
    private readonly turns: ChatTurns,
    private readonly store: ConversationSaver,
  ) {}

  /** A new user message: answered, stopped (partial answer kept) or failed (message kept, marked failed). */
  async send(conversation: Conversation, input: { text: string; attachments?: TurnInput["attachments"] }, options: TurnOptions): Promise<TurnEnd> {
    let assembled: StoredMessage | undefined;
    try {
      const outcome = await this.turns.run({
        ...options,
        conversationId: conversation.id,
        messages: conversation.messages,
        text: input.text,
        attachments: input.attachments,
        onAssembled: (user) => {
          assembled = user;
          options.onAssembled?.(user);
        },
      });
      conversation.messages = [...conversation.messages, outcome.user, outcome.assistant ?? { role: "assistant", text: "", stopped: true }];
      return { kind: outcome.stopped ? "stopped" : "answered", outcome, saveError: await this.save(conversation) };
    } catch (error) {
      const reason = messageOf(error);
      const user: StoredMessage = { ...(assembled ?? { role: "user", text: input.text }), failed: reason };
      conversation.messages = [...conversation.messages, user];
      return { kind: "failed", error: reason, saveError: await this.save(conversation) };
    }
  }

  /** Runs the last message again when it failed; it stays failed (with the new reason) if it fails again. */
  async retry(conversation: Conversation, options: TurnOptions): Promise<TurnEnd | undefined> {
    const failed = conversation.messages.at(-1);
    if (failed?.role !== "user" || !failed.failed) return undefined;
    const before = conversation.messages.slice(0, -1);
    return this.replace(conversation, before, failed, undefined, options);
  }

  /** A new answer to the last question; the previous answer stays until the new one has completed. */
  async regenerate(conversation: Conversation, options: TurnOptions): Promise<TurnEnd | undefined> {
    const [user, answer] = conversation.messages.slice(-2);
    if (user?.role !== "user" || answer?.role !== "assistant") return undefined;
    const before = conversation.messages.slice(0, -2);
    return this.replace(conversation, before, user, answer, options);
  }

  private async replace(conversation: Conversation, before: StoredMessage[], user: StoredMessage, previous: StoredMessage | undefined, options: TurnOptions): Promise<TurnEnd> {
    const { failed: _failed, ...question } = user;
    try {
      const outcome = await this.turns.run({
        ...options,
        conversationId: conversation.id,
        messages: before,
        text: question.text,
        resend: { prompt: question.prompt ?? question.text, attachments: question.attachments },
      });
      const completed = !outcome.stopped && outcome.assistant;
      if (completed) conversation.messages = [...before, { ...question, ...(outcome.user.notes ? { notes: outcome.user.notes } : {}) }, outcome.assistant!];
      else if (!previous) conversation.messages = [...before, question, outcome.assistant ?? { role: "assistant", text: "", stopped: true }];
      // A stopped regeneration keeps the previous answer: the new one never completed.
      return { kind: outcome.stopped ? "stopped" : "answered", outcome, saveError: await this.save(conversation) };
    } catch (error) {
      const reason = messageOf(error);
      if (!previous) conversation.messages = [...before, { ...question, failed: reason }];
      return { kind: "failed", error: reason, saveError: await this.save(conversation) };
    }
  }

  private async save(conversation: Conversation): Promise<string | undefined> {
    conversation.updatedAt = Date.now();
    try {
      await this.store.save(conversation);
      return undefined;
    } catch (error) {
      return `The conversation could not be saved (${messageOf(error)}); it is kept here and saved with the next change.`;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
