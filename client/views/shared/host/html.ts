// The page a webview panel loads: one nonce'd script, one stylesheet, a strict CSP. Pure (no vscode),
// so tests serve exactly the page the extension shows.

export interface WebviewPageOptions {
  /** `webview.cspSource` (in tests, the origin the files are served from). */
  cspSource: string;
  /** Fresh per page load, from node:crypto randomBytes (see createNonce in nonce.ts). */
  nonce: string;
  /** `webview.asWebviewUri(...)` of dist/webview/<view>.js. */
  scriptUri: string;
  /** `webview.asWebviewUri(...)` of client/views/media/webview.css. */
  styleUri: string;
  title: string;
}

/** Base64 / base64url / hex only: anything else could break out of the CSP header or the attribute. */
const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}'; img-src ${cspSource} data:; font-src ${cspSource}`;
}

export function webviewHtml(options: WebviewPageOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, title } = options;
  if (!NONCE.test(nonce)) throw new Error(`webviewHtml: the nonce must be 16+ base64 characters, got ${JSON.stringify(nonce)}`);
  // VS Code's cspSource may hold several sources ("'self' https://*.vscode-cdn.net"): spaces and quotes are fine.
  if (/[;,"<>\r\n]/.test(cspSource)) throw new Error(`webviewHtml: cspSource ${JSON.stringify(cspSource)} would break the CSP`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
