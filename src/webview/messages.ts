// Typed messages between the chat webview and the extension host, one map per direction.

/** A message as the view shows it. */
export interface ViewMessage {
  role: "user" | "assistant";
  text: string;
  /** Labels of the attached context (file and line range). */
  chips?: string[];
  notes?: string[];
  stopped?: boolean;
  /** A user message whose turn failed: the reason (shown with a Retry button). */
  failed?: string;
}

export interface ChipView {
  id: string;
  kind: "selection" | "file";
  label: string;
}

export interface ConversationItem {
  id: string;
  title: string;
}

export interface ToHost {
  ready: Record<string, never>;
  send: { text: string };
  stop: Record<string, never>;
  regenerate: Record<string, never>;
  retry: Record<string, never>;
  newConversation: Record<string, never>;
  switchConversation: { id: string };
  deleteConversation: { id: string };
  removeAttachment: { id: string };
  pickFile: Record<string, never>;
  copy: { text: string };
  insert: { code: string };
  apply: { code: string };
  openLink: { href: string };
}

export interface ToWebview {
  status: { state: string; model?: string; message?: string };
  conversations: { list: ConversationItem[]; activeId: string | undefined };
  /** Replaces the whole log (a conversation was opened). */
  conversation: { id: string; messages: ViewMessage[] };
  attachments: { chips: ChipView[] };
  userMessage: ViewMessage;
  replyStart: Record<string, never>;
  replyToken: { text: string };
  replyEnd: { error?: string; stopped?: boolean };
  busy: { busy: boolean };
}

export type Envelope<Map> = { [K in keyof Map]: { type: K; payload: Map[K] } }[keyof Map];
