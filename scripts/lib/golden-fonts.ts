/**
 * Fonts for the generated golden PDFs. pdfkit's built-in fonts are WinAnsi only, so we embed
 * real TrueType fonts: DejaVu Sans for the text and Droid Sans Fallback for the CJK characters
 * DejaVu lacks. Both come from Debian packages; the PDFs' sha256 depends on these exact files.
 */
import { existsSync } from 'node:fs';
import * as fontkit from 'fontkit';

export interface FontFile {
  /** Name the PDF writer registers the font under. */
  name: string;
  path: string;
  /** Debian package that installs it (for the error when it is missing). */
  debianPackage: string;
}

export const BODY_FONT: FontFile = {
  name: 'body',
  path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  debianPackage: 'fonts-dejavu-core',
};
export const HEADING_FONT: FontFile = {
  name: 'heading',
  path: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  debianPackage: 'fonts-dejavu-core',
};
/** Used only for characters the body font has no glyph for. */
export const FALLBACK_FONT: FontFile = {
  name: 'fallback',
  path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  debianPackage: 'fonts-droid-fallback',
};

const opened = new Map<string, fontkit.Font>();

export function openFont(font: FontFile): fontkit.Font {
  const cached = opened.get(font.path);
  if (cached) return cached;
  if (!existsSync(font.path)) {
    throw new Error(`font not found: ${font.path} (install it with: apt-get install ${font.debianPackage})`);
  }
  const loaded = fontkit.openSync(font.path);
  if (!('hasGlyphForCodePoint' in loaded)) throw new Error(`${font.path}: a font collection, expected one font`);
  opened.set(font.path, loaded);
  return loaded;
}

/** The first of `fonts` that has a glyph for the character; throws when none has. */
export function fontFor(char: string, fonts: readonly FontFile[], where: string): FontFile {
  const cp = char.codePointAt(0) as number;
  for (const f of fonts) if (openFont(f).hasGlyphForCodePoint(cp)) return f;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  throw new Error(`${where}: no font has a glyph for U+${hex} "${char}" (tried ${fonts.map((f) => f.path).join(', ')})`);
}
