import type { Token } from '@robustfair/spec';
import type { Container } from 'inversify';

/** Typed `container.get`: Inversify cannot infer T from a symbol (HOUSE-STYLE B4 note 1). */
export function resolve<T>(container: Container, token: Token<T>): T {
  return container.get(token) as T;
}
