import { describe, expect, it } from 'vitest';
import { chooseProgressMode, colorEnabled } from './progress-mode.js';

describe(chooseProgressMode, () => {
  const terminal = { isTTY: true, env: { TERM: 'xterm-256color' } };

  it('draws bars on a terminal', () => {
    expect(chooseProgressMode(terminal)).toBe('bars');
  });

  it('writes plain lines when stderr is not a terminal (CI logs, pipes, files)', () => {
    expect(chooseProgressMode({ ...terminal, isTTY: false })).toBe('lines');
    expect(chooseProgressMode({ ...terminal, isTTY: undefined })).toBe('lines');
  });

  it('writes plain lines with --no-progress and on a dumb terminal', () => {
    expect(chooseProgressMode({ ...terminal, progress: false })).toBe('lines');
    expect(chooseProgressMode({ ...terminal, env: { TERM: 'dumb' } })).toBe('lines');
  });

  it('writes nothing with --quiet, terminal or not', () => {
    expect(chooseProgressMode({ ...terminal, quiet: true })).toBe('silent');
    expect(chooseProgressMode({ isTTY: false, env: {}, quiet: true, progress: false })).toBe('silent');
  });
});

describe(colorEnabled, () => {
  it('is on unless NO_COLOR is set to something non-empty', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
  });
});
