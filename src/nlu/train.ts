/** `npm run build` runs this: trains the classifier once so that the first start loads it from dist/nlu. */
import { loadCatalog } from '../domain/catalog.js';
import { loadKnownErrors } from '../domain/known-errors.js';
import { fromRoot } from '../paths.js';
import { createNlu } from './index.js';

const started = performance.now();
const nlu = createNlu({ catalog: loadCatalog(undefined, fromRoot('data')), knownErrors: loadKnownErrors(fromRoot('data')) });
console.log(`nlu model ${nlu.trainedNow ? 'trained' : 'already cached'} in ${Math.round(performance.now() - started)} ms`);
