import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '@robustfair/core';
import { createProjectionWorkspace, projectionLinf, projectionLinfInto } from './projection-linf.js';

const close = (actual: Float64Array, expected: readonly number[]) =>
  expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 12));

describe(projectionLinf, () => {
  it('moves every coordinate by the same amount when the box does not bind', () => {
    // w·(t + d) = 1.5 with t = (0.5, 0.5), w = (1, 1): d = (0.25, 0.25), ‖d‖∞ = 0.25
    close(projectionLinf([0.5, 0.5], [1, 1], 1.5), [0.25, 0.25]);
    // from the other side, towards w·x = 0.5
    close(projectionLinf([0.5, 0.5], [1, 1], 0.5), [-0.25, -0.25]);
  });

  it('saturates a coordinate at the box and moves the others further', () => {
    // t = (0.9, 0.5), w = (1, 1), b = 1.8: (0.2, 0.2) would leave the box, so d = (0.1, 0.3)
    close(projectionLinf([0.9, 0.5], [1, 1], 1.8), [0.1, 0.3]);
  });

  it('uses the sign of each normal coordinate and ignores zero ones', () => {
    // w = (2, −1, 0), t = (0.5, 0.5, 0.3), w·t = 0.5, target 0.8: 3λ = 0.3, d = (0.1, −0.1, 0)
    close(projectionLinf([0.5, 0.5, 0.3], [2, -1, 0], 0.8), [0.1, -0.1, 0]);
  });

  it('returns the point itself when it is already on the hyperplane', () => {
    close(projectionLinf([0.2, 0.7], [1, 1], 0.9), [0, 0]);
  });

  it('gives the same step with a reused workspace as with fresh buffers, call after call', () => {
    const random = createSeededRandom(5);
    const n = 97;
    const workspace = createProjectionWorkspace(n);
    for (let call = 0; call < 20; call++) {
      const point = Array.from({ length: n }, () => random.float());
      const normal = Array.from({ length: n }, () => (random.float() < 0.1 ? 0 : random.float() * 2 - 1));
      const offset = random.float() * 4 - 2;
      const reused = projectionLinfInto(workspace, point, normal, offset, workspace.fromCurrent);
      expect(Array.from(reused)).toEqual(Array.from(projectionLinf(point, normal, offset)));
    }
    expect(() => projectionLinfInto(workspace, [0.5], [1], 0, new Float64Array(1))).toThrow(/one length, got 1, 1, 1 and 97/);
  });
});
