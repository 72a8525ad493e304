/**
 * The understanding of free text, built once per process: the corpus (data/nlu/train), the entity lists and the
 * trained classifier. Training takes seconds, so the trained model is kept in a cache file named by a hash of
 * everything it depends on (corpus, feature and training code version); `npm run build` fills it, and a start
 * with a changed corpus trains once and writes it again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../domain/catalog.js';
import type { KnownErrorCatalogue as KnownErrors } from '../domain/known-errors.js';
import { fromRoot } from '../paths.js';
import { classifierFromJSON, trainClassifier, TRAINING, type SavedClassifier, type TrainedClassifier } from './classifier.js';
import { loadCorpus, type Utterance } from './corpus.js';
import { entityMarkers, findEntities, loadEntityPatterns, type EntityDeps } from './entities.js';
import { DEFAULT_FEATURES, featuresOf, type FeatureOptions } from './features.js';
import { createUnderstander, type LanguageBands, type Understander } from './understand.js';

export { textLang, type Understanding, type Understander } from './understand.js';
export type { Entities } from './entities.js';

/** What a model means depends on the feature and training code too: a change there makes a new cache file. */
const CODE_KEY = createHash('sha256').update(featuresOf.toString()).update(trainClassifier.toString()).update(JSON.stringify(TRAINING)).digest('hex');

export interface NluOptions {
  catalog: Catalog;
  knownErrors: KnownErrors;
  /** Training utterances (default data/nlu/train). */
  corpus?: readonly Utterance[];
  /** Where trained models are kept (default dist/nlu in the project); undefined = train in memory only. */
  cacheDir?: string | null;
  features?: FeatureOptions;
  bands?: LanguageBands;
}

export const DEFAULT_MODEL_DIR = fromRoot('dist', 'nlu');

/** The understander for the catalogue and known errors, from the cached model or freshly trained. */
export function createNlu(opts: NluOptions): Understander & { readonly trainedNow: boolean } {
  const entities: EntityDeps = { patterns: loadEntityPatterns(), catalog: opts.catalog, knownErrors: opts.knownErrors };
  const corpus = opts.corpus ?? loadCorpus('train');
  const features = opts.features ?? DEFAULT_FEATURES;
  const featuresFor = (u: Utterance) => featuresOf(u.text, entityMarkers(findEntities(u.text, entities)), features);
  const cacheDir = opts.cacheDir === undefined ? DEFAULT_MODEL_DIR : opts.cacheDir;
  const { classifier, trainedNow } = loadOrTrain(corpus, featuresFor, cacheDir, modelKey(corpus, features, opts.catalog));
  return { ...createUnderstander({ classifier, entities, features, bands: opts.bands }), trainedNow };
}

/** A hash of what the trained model depends on. */
function modelKey(corpus: readonly Utterance[], features: FeatureOptions, catalog: Catalog): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ code: CODE_KEY, features, families: catalog.families.map((f) => f.id) }));
  for (const u of corpus) h.update(`${u.lang}\u0000${u.intent}\u0000${u.text}\n`);
  return h.digest('hex').slice(0, 24);
}

const inProcess = new Map<string, TrainedClassifier>();

function loadOrTrain(
  corpus: readonly Utterance[],
  featuresFor: (u: Utterance) => ReturnType<typeof featuresOf>,
  dir: string | null,
  key: string,
): { classifier: TrainedClassifier; trainedNow: boolean } {
  const kept = inProcess.get(key);
  if (kept) return { classifier: kept, trainedNow: false };
  const file = dir ? path.join(dir, `model-${key}.json`) : undefined;
  if (file && fs.existsSync(file)) {
    try {
      const classifier = classifierFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')) as SavedClassifier);
      inProcess.set(key, classifier);
      return { classifier, trainedNow: false };
    } catch {
      // a torn or foreign file: train again and replace it
    }
  }
  const classifier = trainClassifier(corpus, featuresFor);
  inProcess.set(key, classifier);
  if (file) writeAtomically(file, JSON.stringify(classifier.toJSON()));
  return { classifier, trainedNow: true };
}

/** Several test workers may train at once: each writes its own temp file, the rename is atomic. */
function writeAtomically(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only install still works: it trains at each start
  }
}
