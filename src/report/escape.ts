/** Text for HTML element content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON to place inside <script type="application/json">. A document may contain
 * "</script>" or "<!--": escaping every <, > and & as \u00XX keeps the parser inside the
 * element whatever the text says; JSON.parse restores the characters. U+2028/2029 are
 * escaped too so the text stays valid as JavaScript source as well.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Script source to inline in <script>: must not contain a sequence that ends or confuses the
 * element. Our own files and chart.js are checked, not rewritten.
 */
export function assertInlineSafe(source: string, name: string): string {
  const bad = /<\/script|<!--|<script/i.exec(source);
  if (bad) throw new Error(`${name} cannot be inlined: it contains "${bad[0]}" at ${bad.index}`);
  return source;
}
