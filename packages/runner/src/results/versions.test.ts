import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { codeCommit, collectVersions } from './versions.js';

describe('versions results record', () => {
  it('records the git commit the code runs from (this checkout), marked -dirty when packages/ differ', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'packages'], { encoding: 'utf8' }).trim() !== '';
    expect(codeCommit()).toBe(dirty ? `${head}-dirty` : head);
    expect(collectVersions()['commit']).toBe(codeCommit());
  });
});
