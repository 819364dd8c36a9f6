import { describe, expect, it } from 'vitest';
import { trainIgnoresCompareNotice } from './notices.js';

describe(trainIgnoresCompareNotice, () => {
  it('is one line naming the compare block, its arms and the command that runs them', () => {
    const notice = trainIgnoresCompareNotice('methods.json', { arms: [{}, {}, {}] });
    expect(notice).not.toContain('\n');
    expect(notice).toContain("'compare' block (3 arms)");
    expect(notice).toContain('train runs only the base config');
    expect(notice).toContain('robustfair compare methods.json');
  });
});
