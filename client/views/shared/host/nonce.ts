// A CSP nonce for one webview page load (kept apart from html.ts so that stays free of node imports).
import { randomBytes } from "node:crypto";

export function createNonce(): string {
  return randomBytes(18).toString("base64");
}
