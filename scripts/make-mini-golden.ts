/**
 * Builds test/fixtures/golden-mini/: three short PDFs and 14 questions for fast integration
 * tests. One document quotes HTML/JS payloads in ordinary prose (the report must escape them),
 * one evidence paragraph crosses a page break, three questions are unanswerable and one has evidence
 * in two documents. The text is original, written for ragbench.
 *
 *   npx tsx scripts/make-mini-golden.ts [outDir]
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGoldenSet, type SourceDocument, type SourceQuestion } from './lib/write-golden-set.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? resolve(repoRoot, 'test/fixtures/golden-mini'));

export const XSS_SCRIPT = '<script>alert("pwned")</script>';
export const XSS_IMG = '<img src=x onerror=alert(1)>';

const lighthouse: SourceDocument = {
  id: 'Greyhaven_Lighthouse',
  title: 'The Greyhaven Lighthouse',
  paragraphs: [
    'The Greyhaven Lighthouse stands on a granite spur at the mouth of the northern harbour. Its light was first lit on 3 November 1874, after four years of work by a crew of masons who lived in timber huts on the spur through two winters. The tower is built of dressed granite quarried on the island itself, and its walls are almost two metres thick at the base, narrowing to less than one metre below the gallery.',
    'Before electrification the lamp burned colza oil, pressed from rapeseed and brought out by boat every fortnight in sealed casks. A single wick lamp of that kind needed trimming several times a night, and the keepers kept a log of every trim, every cask opened and every pane of the lantern cleaned. The log books survive from 1874 to 1951 and are kept in the harbour museum, where they are read more often by weather historians than by anyone interested in lighthouses.',
    'The lens is a first-order Fresnel lens made in Paris, assembled from ninety-six prisms of crown glass in a brass frame. It floats on a bath of mercury so that a clockwork drive, wound by hand every four hours, can turn its three tonnes smoothly. The rotation gives Greyhaven its character: two white flashes every fifteen seconds, which mariners learn to tell apart from the single red flash of the breakwater light a mile to the south.',
    'Keepers served in teams of three, with one on watch, one on call and one ashore on leave. The watch keeper climbed to the lantern room at dusk and stayed there until the lamp was put out at dawn, coming down only to wake the relief. Their quarters were in a low stone house at the foot of the tower, joined to it by a covered passage so that nobody had to cross the open rock in a gale, and the house had its own cistern, bread oven and signal flags for calling the harbour.',
    'A spiral stair of 214 cast-iron steps leads from the entrance hall to the lantern room, and every keeper who wrote about the station mentioned it. The steps were cast in Glasgow in numbered sections and bolted to a central column, so that the whole stair could be carried out by boat and assembled without scaffolding. Halfway up there is a small landing with a window facing the harbour, where generations of keepers left their initials scratched into the sill; the oldest legible set is dated 1879 and the newest 1986. Visitors today climb the same steps, and the guides still count them aloud with school groups, pausing at the landing so that everyone can look back at the town.',
    'The station was electrified in 1951, when a cable was laid across the seabed from the harbour. Electric light allowed a smaller lamp with a far longer life, and the team of keepers was cut from three to two. Automation followed in 1986, and the last resident keeper, Margit Olsen, handed over the keys to the harbour authority on 30 June of that year. She had served at Greyhaven for twenty-two years and later wrote a short memoir of life on the rock.',
    'Since automation the tower has been monitored from the harbour office, which receives an alarm if the lamp or the rotation fails. The keepers\u2019 house was restored in 2004 and now holds a small exhibition about the station, including one of the original colza oil lamps, a cask, and several pages of the log books.',
  ],
};

const webSecurity: SourceDocument = {
  id: 'Comment_Form_Audit',
  title: 'Audit of the Comment Form',
  paragraphs: [
    `During the audit the tester pasted ${XSS_SCRIPT} into the comment field of the feedback form and submitted it. The text came back on the moderation page unchanged, and the browser ran it as a script, so any moderator who opened the page would have seen the alert box. That is a stored cross-site scripting flaw: the payload is saved once and runs for everyone who views it.`,
    `A second payload, ${XSS_IMG}, was entered in the display name field. Because the name is shown in an HTML attribute as well as in the page body, the image tag broke out of the attribute and its error handler ran as soon as the broken image failed to load. Filtering the word "script" would not have stopped it; the handler is an ordinary attribute.`,
    'The fix the team chose was to escape text at the point where it is written into HTML rather than when it is stored: the characters & < > " and \' are replaced with the entities &amp; &lt; &gt; &quot; and &#39; by the template engine, which now escapes by default. Raw HTML output needs an explicit marker in the template, and the audit found only two such places, both of them static text.',
    'As a second line of defence the site now sends a Content-Security-Policy header that forbids inline scripts, so that an injected script would not run even if an escaping mistake slipped through. The policy was first deployed in report-only mode for two weeks \u2014 to find the legitimate inline scripts it would break \u2014 and then enforced.',
  ],
};

const tides: SourceDocument = {
  id: 'Harbour_Tides',
  title: 'Tides at the Northern Harbour',
  paragraphs: [
    'The northern harbour has two high and two low tides a day. At spring tides the range between low and high water is about 4.2 metres; at neap tides it falls to about 1.9 metres. The harbour office publishes a tide table every December for the following year.',
    'Boats heading for the lighthouse landing must arrive within two hours of high water, because at low water the landing steps stand well clear of the sea and the approach over the reef is unsafe. The same rule applied to the supply boat that carried colza oil to the lighthouse in the nineteenth century.',
  ],
};

const questions: SourceQuestion[] = [
  { id: 'mini-01', question: 'When was the Greyhaven light first lit?', answers: ['3 November 1874', '1874'], evidence: [{ doc: lighthouse.id, paragraph: 0 }] },
  { id: 'mini-02', question: 'What did the Greyhaven lamp burn before it was electrified?', answers: ['colza oil'], evidence: [{ doc: lighthouse.id, paragraph: 1 }] },
  { id: 'mini-03', question: 'How many steps lead up to the lantern room?', answers: ['214'], evidence: [{ doc: lighthouse.id, paragraph: 4 }] },
  { id: 'mini-04', question: 'Who was the last resident keeper at Greyhaven?', answers: ['Margit Olsen'], evidence: [{ doc: lighthouse.id, paragraph: 5 }] },
  { id: 'mini-05', question: 'What did the tester paste into the comment field?', answers: [XSS_SCRIPT], evidence: [{ doc: webSecurity.id, paragraph: 0 }] },
  { id: 'mini-06', question: 'Which payload was entered in the display name field?', answers: [XSS_IMG], evidence: [{ doc: webSecurity.id, paragraph: 1 }] },
  { id: 'mini-07', question: 'Which entities replace the characters < and > when text is written into HTML?', answers: ['&lt; &gt;'], evidence: [{ doc: webSecurity.id, paragraph: 2 }] },
  { id: 'mini-08', question: 'Which header forbids inline scripts on the site?', answers: ['Content-Security-Policy'], evidence: [{ doc: webSecurity.id, paragraph: 3 }] },
  { id: 'mini-09', question: 'What is the tidal range at spring tides in the northern harbour?', answers: ['about 4.2 metres', '4.2 metres'], evidence: [{ doc: tides.id, paragraph: 0 }] },
  {
    id: 'mini-10',
    question: 'How was colza oil brought to the lighthouse?',
    answers: ['by boat'],
    evidence: [
      { doc: lighthouse.id, paragraph: 1 },
      { doc: tides.id, paragraph: 1 },
    ],
  },
  { id: 'mini-11', question: "In what year was the keepers' house restored?", answers: ['2004'], evidence: [{ doc: lighthouse.id, paragraph: 6 }] },
  { id: 'mini-12', question: "What was the name of the Greyhaven keepers' dog?", answers: [], evidence: [] },
  { id: 'mini-13', question: 'Which browser version first blocked the image payload?', answers: [], evidence: [] },
  { id: 'mini-14', question: 'What was the highest tide ever recorded in the northern harbour?', answers: [], evidence: [] },
];

const result = await writeGoldenSet({
  dir: outDir,
  name: 'golden-mini',
  source: 'Original text written for ragbench tests (scripts/make-mini-golden.ts)',
  license: 'Apache-2.0',
  documents: [lighthouse, webSecurity, tides],
  questions,
  pdf: { author: 'ragbench', creator: 'ragbench scripts/make-mini-golden.ts', date: new Date('2024-01-01T00:00:00Z') },
});
// The fixture promises evidence across a page break; fail rather than silently lose it.
if (result.evidenceAcrossPages < 1) throw new Error('no evidence passage crosses a page break: adjust Greyhaven_Lighthouse');
console.log(
  `${relative(process.cwd(), outDir) || '.'}: ${result.documents.map((d) => `${d.id} ${d.pages}p`).join(', ')}; ` +
    `${result.questions} questions, ${result.answerable} answerable; ${result.evidenceAcrossPages} evidence passages cross a page break`,
);
