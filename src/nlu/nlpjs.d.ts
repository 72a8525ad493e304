// The parts of nlp.js (no types of its own) that the classifier uses.
declare module '@nlpjs/neural' {
  export interface NeuralSettings {
    iterations?: number;
    errorThresh?: number;
    deltaErrorThresh?: number;
    learningRate?: number;
    momentum?: number;
    alpha?: number;
    log?: boolean;
  }
  export type Features = Record<string, number>;
  export class NeuralNetwork {
    constructor(settings?: NeuralSettings);
    train(corpus: { input: Features; output: Record<string, number> }[]): { error: number; iterations: number };
    run(input: Features): Record<string, number> | undefined;
    toJSON(): unknown;
    fromJSON(json: unknown): void;
  }
}
declare module '@nlpjs/lang-en-min' {
  export class TokenizerEn {
    tokenize(text: string, normalize?: boolean): string[];
  }
  export class StemmerEn {
    stem(token: string): string;
  }
}
