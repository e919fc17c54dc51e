// What a PDF holds, read without a PDF library: its page count and the fonts it embeds (subset
// names without their ABCDEF+ tag). Chromium writes its page objects in plain text, Firefox in
// compressed object streams: the Flate streams are inflated and read too.
import { inflateSync } from 'node:zlib';

export function pdfSummary(bytes) {
  const buffer = Buffer.from(bytes);
  const texts = [buffer.toString('latin1')];
  for (const m of texts[0].matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = texts[0].indexOf('endstream', start);
    if (end < 0) continue;
    try {
      texts.push(inflateSync(buffer.subarray(start, end)).toString('latin1'));
    } catch {
      // not a Flate stream (an image, a font program in another filter): nothing to read in it
    }
  }
  const text = texts.join('\n');
  return {
    pages: [...text.matchAll(/\/Type\s*\/Page\b/g)].length,
    fonts: [...new Set([...text.matchAll(/\/FontName\s*\/(?:[A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[1]))],
  };
}
