/** Plain JSON: what strategy state, options and results are made of. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** One number per class, index = class id. Plain JSON, never a tensor. */
export type ClassVector = readonly number[];

/** The three data splits every dataset can be asked for. */
export type Split = 'train' | 'validation' | 'test';
