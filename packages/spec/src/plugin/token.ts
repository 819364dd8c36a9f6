/**
 * A DI token: a namespaced `Symbol.for` key branded with the type it resolves to. Inversify
 * accepts any symbol as a service identifier, so this package never imports inversify.
 */
export type Token<T> = symbol & { readonly __tokenType?: T };

/** `token<T>('fairness.FairnessStrategy')` is `Symbol.for('robustfair.fairness.FairnessStrategy')`. */
export const token = <T>(key: string): Token<T> => Symbol.for(`robustfair.${key}`) as Token<T>;
