// One chat turn through the engine, shared by the chat view and `freehold chat`: fit the turn into the model's
// context, send it with the conversation's history (the worker continues its kept session when the history
// matches what it already evaluated), stream the answer, and report what was cut and whether it was stopped.
import { EngineError, type ChatMessage, type ChatResult, type ModelInfo } from "../engine/protocol";
import type { EngineClient } from "../engine/client";
import { assembleTurn, cachedCounter, type AssembledTurn, type TokenCounter } from "./promptBudget";
import type { Attachment, StoredMessage } from "./types";

export type ChatEngine = Pick<EngineClient, "chat" | "ensureModel" | "tokenize">;

export interface TurnInput {
  conversationId: string;
  /** The conversation so far (as stored). */
  messages: readonly StoredMessage[];
  text: string;
  attachments?: Attachment[];
  /** Regenerate: the model-facing text of the earlier turn (context already in it) and its chips. */
  resend?: { prompt: string; attachments?: StoredMessage["attachments"] };
  maxTokens: number;
  timeLimitMs?: number;
  systemPrompt?: string;
  signal?: AbortSignal;
  /** Called once the turn is assembled, before the model starts (the view shows the message then). */
  onAssembled?: (user: StoredMessage) => void;
  onText?: (text: string) => void;
}

export interface TurnOutcome {
  /** The user message as it is stored (display text, model-facing text, chips, notes). */
  user: StoredMessage;
  /** The answer so far; undefined when nothing came before an error or a stop. */
  assistant: StoredMessage | undefined;
  assembled: AssembledTurn;
  result?: ChatResult;
  stopped: boolean;
}

/** The history the model sees for stored messages (the model-facing text of each). */
export function modelHistory(messages: readonly StoredMessage[]): ChatMessage[] {
  return messages.map((m) => ({ role: m.role, text: m.prompt ?? m.text }));
}

export class ChatTurns {
  private counter: TokenCounter | undefined;
  private counterModel: string | undefined;

  constructor(private readonly engine: ChatEngine) {}

  /** Runs a turn; a stop keeps the partial answer, any other failure throws (with the partial answer lost). */
  async run(input: TurnInput): Promise<TurnOutcome> {
    // Stop while the model loads stops waiting (and cancels the load when nothing else needs it).
    const model = await this.engine.ensureModel({ signal: input.signal });
    const assembled = await assembleTurn({
      history: modelHistory(input.messages),
      message: input.resend?.prompt ?? input.text,
      attachments: input.resend ? [] : (input.attachments ?? []),
      contextSize: model.contextSize,
      maxTokens: input.maxTokens,
      systemPrompt: input.systemPrompt,
      count: this.countFor(model),
    });
    const user: StoredMessage = {
      role: "user",
      text: input.text,
      ...(assembled.message !== input.text ? { prompt: assembled.message } : {}),
      ...(assembled.included.length ? { attachments: assembled.included.map(({ kind, path, startLine, endLine }) => ({ kind, path, startLine, endLine })) } : {}),
      ...(input.resend?.attachments ? { attachments: input.resend.attachments } : {}),
      ...(assembled.notes.length ? { notes: assembled.notes } : {}),
    };
    input.onAssembled?.(user);
    let streamed = "";
    try {
      const result = await this.engine.chat(
        {
          conversationId: input.conversationId,
          history: assembled.history,
          message: assembled.message,
          maxTokens: input.maxTokens,
          timeLimitMs: input.timeLimitMs,
          systemPrompt: input.systemPrompt,
        },
        {
          signal: input.signal,
          onEvent: (event) => {
            streamed += event.text;
            input.onText?.(event.text);
          },
        },
      );
      return { user, assistant: { role: "assistant", text: result.text }, assembled, result, stopped: false };
    } catch (error) {
      const stopped = input.signal?.aborted === true || (error instanceof EngineError && error.code === "cancelled");
      if (!stopped) throw error;
      return { user, assistant: streamed ? { role: "assistant", text: streamed, stopped: true } : undefined, assembled, stopped: true };
    }
  }

  private countFor(model: ModelInfo): TokenCounter {
    if (!this.counter || this.counterModel !== model.path) {
      this.counter = cachedCounter(async (text) => (text ? (await this.engine.tokenize(text)).count : 0));
      this.counterModel = model.path;
    }
    return this.counter;
  }
}
