// What a chat conversation holds, as stored on disk and shown in the view. Pure data, no vscode.

/** Context attached to a user message: a selection or a whole file. */
export interface Attachment {
  id: string;
  kind: "selection" | "file";
  /** Workspace-relative path (or the file name outside a workspace). */
  path: string;
  /** 1-based inclusive line range of a selection. */
  startLine?: number;
  endLine?: number;
  /** Language id for the code fence. */
  language?: string;
  text: string;
}

/** How an attachment is shown (a chip): without its text. */
export interface AttachmentLabel {
  kind: Attachment["kind"];
  path: string;
  startLine?: number;
  endLine?: number;
}

export interface StoredMessage {
  role: "user" | "assistant";
  /** What the user typed or the model answered (shown in the view). */
  text: string;
  /** The text the model saw for this turn when it differs from `text` (attached context). */
  prompt?: string;
  attachments?: AttachmentLabel[];
  /** Notes shown under the message, e.g. what was cut to fit the context. */
  notes?: string[];
  /** The answer was stopped before the model finished it. */
  stopped?: boolean;
  /** A user message whose turn failed: why (the view offers Retry). */
  failed?: string;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

export function summarize(conversation: Conversation): ConversationSummary {
  return { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, messageCount: conversation.messages.length };
}

/** A conversation's title from its first message: one line, at most 60 characters. */
export function titleFrom(text: string): string {
  const line = text.trim().split("\n", 1)[0].replace(/\s+/g, " ");
  return line.length > 60 ? `${line.slice(0, 59)}…` : line || "New chat";
}

export function attachmentLabel(attachment: Attachment): string {
  const range = attachment.startLine !== undefined ? `:${attachment.startLine}${attachment.endLine !== attachment.startLine ? `-${attachment.endLine}` : ""}` : "";
  return `${attachment.path}${range}`;
}
