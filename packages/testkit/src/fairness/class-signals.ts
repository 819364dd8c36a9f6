import type { ClassSignal } from '@robustfair/spec';

/** Every `ClassSignal`, in declaration order (checked exhaustive at compile time). */
export const allClassSignals = [
  'natural-error',
  'robust-error',
  'boundary-error',
  'natural-loss',
  'robust-loss',
  'natural-ce',
  'robust-ce',
  'kappa',
] as const satisfies readonly ClassSignal[];

type UnlistedSignal = Exclude<ClassSignal, (typeof allClassSignals)[number]>;
// Fails to compile when spec adds a signal this list does not have.
const _exhaustive: [UnlistedSignal] extends [never] ? true : false = true;
void _exhaustive;
