// The webview page builder: the CSP as specified, the nonce on the script tag only, escaping.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contentSecurityPolicy, webviewHtml } from "../../client/views/shared/host/html";
import { createNonce } from "../../client/views/shared/host/nonce";

const options = {
  cspSource: "https://*.vscode-cdn.net",
  nonce: "Zm9vYmFyYmF6cXV4MTIzNDU2",
  scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/traffic.js",
  styleUri: "https://file+.vscode-resource.vscode-cdn.net/ext/client/views/media/webview.css",
  title: "Mailbox traffic",
};

describe("webviewHtml", () => {
  const html = webviewHtml(options);

  it("declares exactly the specified CSP in a meta tag", () => {
    const expected = `default-src 'none'; style-src ${options.cspSource}; script-src 'nonce-${options.nonce}'; img-src ${options.cspSource} data:; font-src ${options.cspSource}`;
    assert.equal(contentSecurityPolicy(options.cspSource, options.nonce), expected);
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
    assert.equal(metas.length, 1);
    assert.equal(metas[0]![1], expected);
    assert.ok(html.indexOf("Content-Security-Policy") < html.indexOf("<script"), "the CSP comes before any script");
    assert.doesNotMatch(expected, /unsafe-inline|unsafe-eval|\*;|'self'/);
  });

  it("puts the nonce on the one script tag and nowhere else but the CSP", () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${options.nonce}" src="${options.scriptUri}">`]);
    assert.equal(html.split(options.nonce).length - 1, 2, "once in the CSP, once on the script");
    assert.doesNotMatch(html.replace(/<script[^>]*><\/script>/, ""), /<script/);
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${options.styleUri.replace(/[.+*]/g, "\\$&")}">`));
    assert.doesNotMatch(html, /<style|style="/, "no inline styles: style-src does not allow them");
  });

  it("escapes the title and URIs", () => {
    const page = webviewHtml({ ...options, title: `</title><script>alert(1)</script>`, styleUri: `x"><script>alert(2)</script>` });
    assert.equal([...page.matchAll(/<script/g)].length, 1);
    assert.match(page, /<title>&#60;\/title&#62;&#60;script&#62;alert\(1\)&#60;\/script&#62;<\/title>/);
  });

  it("accepts VS Code's multi-source cspSource and rejects values that would break the policy", () => {
    assert.match(webviewHtml({ ...options, cspSource: "'self' https://*.vscode-cdn.net" }), /style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
    assert.throws(() => webviewHtml({ ...options, cspSource: "https://a; script-src *" }), /cspSource/);
    assert.throws(() => webviewHtml({ ...options, nonce: `abc" onload="x` }), /nonce/);
    assert.throws(() => webviewHtml({ ...options, nonce: "short" }), /nonce/);
  });

  it("createNonce gives fresh base64 nonces that webviewHtml accepts", () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9+/]{24}$/);
    assert.doesNotThrow(() => webviewHtml({ ...options, nonce: a }));
  });
});
