import { z } from 'zod';
import type { JsonValue } from '../json.js';

// The building blocks of the results format (result.json, spec.json, epochs.jsonl,
// evaluation.json, comparison.json): the runner writes them, the report and the runner read them
// back. JSON has no NaN: an undefined number (an NSD when every class is at 0, a loss sum after a
// divergence) is written as null and read back as NaN.

/**
 * Any JSON value: what opaque parts of the files are (strategy state, plugin options). Read back,
 * it is a {@link JsonValue}; written, anything `JSON.stringify` turns into one.
 */
export const jsonValueSchema: z.ZodType<JsonValue, unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

/** A JSON object: a spec, a record of options. */
export const jsonObjectSchema = z.record(z.string(), jsonValueSchema);

/** A number that may be undefined: written as a number or NaN (null in JSON), read back as a number (NaN for null). */
export const resultNumberSchema = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN);

/** One number per class (index = class id), NaN allowed. */
export const classNumbersSchema = z.array(resultNumberSchema);

/** One count per class (index = class id). */
export const classCountsSchema = z.array(z.number());

/** Row id of the clean pass in evaluations. */
export const cleanRowId = 'clean';
/** Row id of the per-sample worst case over the clean pass and every attack. */
export const worstCaseRowId = 'worst-case';

/**
 * What the runner's writers build: the schema's input with every array and object read-only, so
 * results typed `readonly` (as the training loop and the suite produce them) fit as they are.
 */
export type ResultFileInput<Schema extends z.ZodType> = DeepReadonly<z.input<Schema>>;

/** A file as read back: the schema's output (NaN where the file has null, defaults filled). */
export type ResultFileOutput<Schema extends z.ZodType> = z.output<Schema>;

type DeepReadonly<T> = T extends (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
      : T;
