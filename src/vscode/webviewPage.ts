import type * as vscode from "vscode";

export interface WebviewPageParts {
  /** Content-Security-Policy directives; each page names exactly what it may load. */
  csp: string[];
  style: vscode.Uri;
  title: string;
  /** The body's HTML, scripts (with their nonce) included. */
  body: string;
}

/** The common frame of Freehold's webview pages: strict CSP meta, one local stylesheet, the body. */
export function webviewPage(parts: WebviewPageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${parts.csp.join("; ")}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${parts.style}">
<title>${parts.title}</title>
</head>
<body>
${parts.body}
</body>
</html>`;
}
