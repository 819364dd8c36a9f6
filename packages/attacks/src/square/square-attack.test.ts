import { describeAttack } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { createSquareAttack, squareFraction, squareSide } from './square-attack.js';

describeAttack('square', () => createSquareAttack({ queries: 20, earlyStopEvery: 7 }));

describe('squareFraction', () => {
  it('halves p_init at 10, 50, 200, 500, 1000, 2000, 4000, 6000 and 8000 queries', () => {
    const p = 0.8;
    expect([0, 10, 11, 50, 51, 200, 201, 500, 501, 1000, 1001, 2000, 2001, 4000, 4001, 6000, 6001, 8000, 8001].map((query) => squareFraction(query, p))).toEqual([
      p, p, p / 2, p / 2, p / 4, p / 4, p / 8, p / 8, p / 16, p / 16, p / 32, p / 32, p / 64, p / 64, p / 128, p / 128, p / 256, p / 256, p / 512,
    ]);
  });
});

describe('squareSide', () => {
  it('is round(√(p·H·W)), at least 1 and at most H − 1', () => {
    // √(0.8·32·32) = 28.6 → 29; √(0.05·32·32) = 7.2 → 7; √(0.8·4·4) = 3.6 → 4, capped at 3
    expect([squareSide(0.8, 32, 32), squareSide(0.05, 32, 32), squareSide(0.8, 4, 4), squareSide(0.001, 8, 8)]).toEqual([29, 7, 3, 1]);
  });
});
