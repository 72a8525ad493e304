/**
 * npm run eval:nlu — the classifier on the held-out corpus (data/nlu/heldout), which training never reads.
 * Prints accuracy per language and intent, the confusion pairs, and how many fell to "did you mean" vs wrong.
 *   --cv        picks the confidence bands by 5-fold cross-validation on the training corpus
 *   --ablation  the held-out accuracy without each feature family
 *   --failures  lists the held-out messages not acted on rightly
 */
import { loadCatalog } from '../src/domain/catalog.js';
import { loadKnownErrors } from '../src/domain/known-errors.js';
import { fromRoot } from '../src/paths.js';
import { loadCorpus, type Utterance } from '../src/nlu/corpus.js';
import { accuracy, evaluate, type Evaluation } from '../src/nlu/evaluate.js';
import { createNlu } from '../src/nlu/index.js';
import { decide, DEFAULT_BANDS, type Bands } from '../src/nlu/understand.js';
import { entityMarkers, findEntities, loadEntityPatterns } from '../src/nlu/entities.js';
import { featuresOf, DEFAULT_FEATURES, type FeatureOptions } from '../src/nlu/features.js';
import { trainClassifier } from '../src/nlu/classifier.js';
import { textLang } from '../src/nlu/understand.js';

const args = new Set(process.argv.slice(2));
const catalog = loadCatalog(undefined, fromRoot('data'));
const knownErrors = loadKnownErrors(fromRoot('data'));
const train = loadCorpus('train');
const heldout = loadCorpus('heldout');

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function print(title: string, e: Evaluation): void {
  console.log(`\n${title}`);
  console.log('lang  right    did-you-mean  wrong  unknown  total');
  for (const [lang, t] of Object.entries(e.byLang)) {
    console.log(`${lang.padEnd(5)} ${pct(accuracy(t)).padStart(7)}  ${String(t.offered).padStart(12)}  ${String(t.wrong).padStart(5)}  ${String(t.unknown).padStart(7)}  ${String(t.total).padStart(5)}`);
  }
  console.log('\nper intent (right / total, did you mean, wrong, unknown):');
  for (const [k, t] of Object.entries(e.byIntent).sort()) {
    const flag = t.right < t.total ? '' : '';
    console.log(`  ${k.padEnd(28)} ${String(t.right).padStart(3)}/${String(t.total).padEnd(3)} ${pct(accuracy(t)).padStart(7)}  ?${t.offered} ✗${t.wrong} ∅${t.unknown}${flag}`);
  }
  console.log('\nconfusion pairs (expected -> acted on):');
  for (const [pair, n] of e.confusions.slice(0, 25)) console.log(`  ${String(n).padStart(3)}  ${pair}`);
}

const t0 = performance.now();
const nlu = createNlu({ catalog, knownErrors });
console.log(`model: ${nlu.trainedNow ? 'trained now' : 'from the cache'} in ${Math.round(performance.now() - t0)} ms; ${train.length} training and ${heldout.length} held-out messages`);
const result = evaluate(heldout, (t) => nlu.understand(t));
for (const lang of ['en', 'ko']) {
  const part = heldout.filter((u) => u.lang === lang);
  const top = part.filter((u) => nlu.rank(u.text)[0]?.intent === u.intent).length;
  console.log(`${lang}: the classifier's first choice is right for ${pct(top / part.length)} (before the confidence bands)`);
}
print('held-out part', result);
if (args.has('--failures')) {
  console.log('\nnot acted on rightly:');
  for (const f of result.failures) console.log(`  [${f.utterance.lang} ${f.utterance.intent}] ${f.utterance.text}  => ${f.got}`);
}

if (args.has('--ablation')) {
  const variants: [string, FeatureOptions][] = [
    ['without word trigrams', { ...DEFAULT_FEATURES, wordTrigrams: false }],
    ['without Hangul n-grams', { ...DEFAULT_FEATURES, hangulNgrams: false }],
  ];
  for (const [name, features] of variants) {
    const e = evaluate(heldout, (t) => createNlu({ catalog, knownErrors, features, cacheDir: null }).understand(t));
    console.log(`\n${name}: ${Object.entries(e.byLang).map(([l, t]) => `${l} ${pct(accuracy(t))}`).join(', ')}`);
  }
}

if (args.has('--cv')) {
  // Rankings of every training message by a model that did not see it; then the bands that do best on them.
  const entityDeps = { patterns: loadEntityPatterns(), catalog, knownErrors };
  const featuresFor = (text: string) => featuresOf(text, entityMarkers(findEntities(text, entityDeps)));
  const folds = 5;
  const scored: { u: Utterance; ranked: ReturnType<ReturnType<typeof trainClassifier>['classify']>; coverage: number; entities: ReturnType<typeof findEntities> }[] = [];
  for (let f = 0; f < folds; f++) {
    const fit = train.filter((_, i) => i % folds !== f);
    const test = train.filter((_, i) => i % folds === f);
    const clf = trainClassifier(fit, (u) => featuresFor(u.text));
    for (const u of test) {
      const feats = featuresFor(u.text);
      scored.push({ u, ranked: clf.classify(feats, textLang(u.text)), coverage: clf.coverage(feats, textLang(u.text)), entities: findEntities(u.text, entityDeps) });
    }
  }
  for (const lang of ['en', 'ko']) {
    const part = scored.filter((s) => s.u.lang === lang);
    console.log(`cross-validation, ${lang}: the first choice is right for ${pct(part.filter((s) => s.ranked[0]?.intent === s.u.intent).length / part.length)}`);
  }
  // Each language gets its own bands: the English and Korean features give activations of different shapes.
  const chosen: Record<string, Bands> = {};
  for (const lang of ['en', 'ko'] as const) {
    const part = scored.filter((s) => s.u.lang === lang);
    let best: { bands: Bands; value: number } | undefined;
    for (const sure of [0.25, 0.3, 0.4, 0.5, 0.6, 0.7])
      for (const margin of [0.05, 0.1, 0.15, 0.2, 0.3])
        for (const floor of [0.02, 0.05, 0.1])
          for (const coverage of [0.2, 0.3, 0.4]) {
            const bands: Bands = { ...DEFAULT_BANDS[lang], sure, margin, floor, coverage };
            const e = evaluate(part.map((s) => s.u), ((byText) => (t: string) => byText.get(t)!)(new Map(part.map((s) => [s.u.text, decide(s.ranked, s.coverage, s.entities, s.u.lang, bands)]))));
            const t = e.byLang[lang];
            // A wrong action costs more than a "did you mean" question.
            const value = t.right - 3 * t.wrong - 0.5 * t.unknown;
            if (!best || value > best.value) best = { bands, value };
          }
    chosen[lang] = best!.bands;
  }
  const byText = new Map(scored.map((s) => [s.u.text, decide(s.ranked, s.coverage, s.entities, s.u.lang, chosen[s.u.lang])]));
  const best = { bands: chosen, e: evaluate(scored.map((s) => s.u), (t) => byText.get(t)!) };
  console.log('\ncross-validated bands:', JSON.stringify(best!.bands));
  print('5-fold cross-validation on the training corpus, with those bands', best!.e);
}
