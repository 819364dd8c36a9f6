import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// HOUSE-STYLE B4 and B10: these rules are checked on the sources, so a change that breaks one fails CI.
const packagesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

const files = readdirSync(packagesDirectory).flatMap((name) => {
  const source = path.join(packagesDirectory, name, 'src');
  return sourceFiles(source).map((file) => ({ packageName: name, file, text: readFileSync(file, 'utf8') }));
});

describe('architecture rules', () => {
  it('finds the sources it checks', () => {
    expect(new Set(files.map((entry) => entry.packageName)).size).toBeGreaterThanOrEqual(10);
  });

  it('only the runner creates an inversify Container', () => {
    const offenders = files.filter(({ packageName, text }) => packageName !== 'runner' && /new Container\(/.test(text));
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it('in the runner, the root container and withArmContainer are the only places a Container is made', () => {
    const makers = files.filter(({ packageName, text }) => packageName === 'runner' && /new Container\(/.test(text)).map(({ file }) => path.relative(packagesDirectory, file));
    expect(makers.sort()).toEqual([path.join('runner', 'src', 'di', 'root-container.ts'), path.join('runner', 'src', 'di', 'with-arm-container.ts')]);
  });

  it('plugins carry no decorators: @injectable/@inject appear only in the runner', () => {
    const offenders = files.filter(({ packageName, text }) => packageName !== 'runner' && /@(injectable|inject|multiInject)\(/.test(text));
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it('inversify is imported only from src/di/ folders and the runner and cli', () => {
    const offenders = files.filter(
      ({ packageName, file, text }) =>
        !['runner', 'cli'].includes(packageName) && !file.includes(`${path.sep}di${path.sep}`) && /from 'inversify'/.test(text),
    );
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it('no package registers anything at import time: sideEffects is false everywhere', () => {
    for (const name of new Set(files.map((entry) => entry.packageName))) {
      const manifest = JSON.parse(readFileSync(path.join(packagesDirectory, name, 'package.json'), 'utf8')) as { sideEffects?: unknown };
      expect({ name, sideEffects: manifest.sideEffects }).toEqual({ name, sideEffects: false });
    }
  });

  it('the spec package imports neither inversify nor tfjs at run time', () => {
    const offenders = files.filter(
      ({ packageName, text }) => packageName === 'spec' && (/from 'inversify'/.test(text) || /^import \* as tf from/m.test(text)),
    );
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });
});
