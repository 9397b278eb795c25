// Typed messages between the chat webview and the extension host, one map per direction.
export interface ToHost {
  ready: Record<string, never>;
  send: { text: string };
  stop: Record<string, never>;
}

export interface ToWebview {
  status: { state: string; model?: string; message?: string };
  userMessage: { text: string };
  replyStart: Record<string, never>;
  replyToken: { text: string };
  replyEnd: { error?: string };
}

export type Envelope<Map> = { [K in keyof Map]: { type: K; payload: Map[K] } }[keyof Map];
