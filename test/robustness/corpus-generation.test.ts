/** The committed corpus is what the script writes, byte for byte: regenerating it changes nothing. */
import { readdirSync, readFileSync } from 'node:fs';
import * as mupdf from 'mupdf';
import { describe, expect, it } from 'vitest';
import { buildAesCorpus, buildCorpus, requireCorpusFonts, ROBUSTNESS_DIR } from '../../scripts/make-robustness-corpus.ts';
import { EXPECTATIONS } from './corpus.ts';

describe('robustness corpus generation', () => {
  it('rebuilds the committed files byte for byte, and every file has an expectation', async () => {
    const built = await buildCorpus(); // fails naming `npm run setup` when a font is missing
    expect(readdirSync(ROBUSTNESS_DIR).sort()).toEqual([...built.keys()].sort());
    for (const [name, bytes] of built) {
      const committed = readFileSync(`${ROBUSTNESS_DIR}/${name}`);
      expect(committed.equals(bytes), `${name} differs: rerun npx tsx scripts/make-robustness-corpus.ts`).toBe(true);
    }
    expect(EXPECTATIONS.map((e) => e.name).sort()).toEqual([...built.keys()].sort());
  });

  it('makes the password files what they claim: a user password, or an owner password with permissions and none to open', async () => {
    const files = new Map<string, Uint8Array>([
      ['encrypted-user-password.pdf', readFileSync(`${ROBUSTNESS_DIR}/encrypted-user-password.pdf`)],
      ['owner-password-only.pdf', readFileSync(`${ROBUSTNESS_DIR}/owner-password-only.pdf`)],
      ...(await buildAesCorpus()),
    ]);
    for (const [name, bytes] of files) {
      const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
      try {
        const ownerOnly = name.startsWith('owner-password-only');
        expect(doc.needsPassword(), name).toBe(!ownerOnly);
        if (ownerOnly) expect([doc.hasPermission('copy'), doc.hasPermission('edit')], name).toEqual([false, false]);
        else expect(doc.authenticatePassword('secret'), name).toBeGreaterThan(0);
      } finally {
        doc.destroy();
      }
    }
  });

  it('names `npm run setup` and the Debian package when a font is missing', () => {
    const missing = { name: 'x', path: '/nonexistent/NoSuchFont.ttf', debianPackage: 'fonts-nothing' };
    expect(() => requireCorpusFonts([missing])).toThrowError(
      'robustness corpus: font not found: /nonexistent/NoSuchFont.ttf (Debian package fonts-nothing); run `npm run setup` to install it',
    );
  });
});
