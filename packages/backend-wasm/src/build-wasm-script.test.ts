import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from './testing/run-node.js';

// scripts/build-wasm.mjs on a scratch copy of this package (its scripts/, wasm/ and the generated
// file): a committed module that differs from what the C sources build must fail `--check` and
// CI's build, which must leave the file alone; the shadow-stack rule must stop a build.
const packageDirectory = fileURLToPath(new URL('../', import.meta.url));
const generatedName = path.join('src', 'own-kernels.generated.ts');
// The script's compiler: Debian's clang-16 with its own wasm-ld (lld-16).
const linker = spawnSync('clang-16', ['-print-prog-name=wasm-ld'], { encoding: 'utf8' });
const toolchain = linker.status === 0 && linker.stdout.trim().startsWith('/') && spawnSync(linker.stdout.trim(), ['--version']).status === 0;
const objdump = ['llvm-objdump-16', 'llvm-objdump'].some((command) => spawnSync(command, ['--version']).status === 0);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'robustfair-build-wasm-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of what the script reads and writes, in the package's layout. */
function copyPackage(name: string): string {
  const directory = path.join(scratch, name);
  for (const part of ['scripts', 'wasm', generatedName]) cpSync(path.join(packageDirectory, part), path.join(directory, part), { recursive: true });
  return directory;
}

function build(directory: string, args: string[], ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['CI'];
  if (ci) env['CI'] = 'true';
  return runNode(['scripts/build-wasm.mjs', ...args], { cwd: directory, env });
}

describe.skipIf(!toolchain)('build-wasm.mjs', () => {
  it('fails --check and the CI build on a committed module one byte off, rewrites it only outside CI', async () => {
    const directory = copyPackage('flipped');
    const file = path.join(directory, generatedName);
    const committed = readFileSync(file);
    // One base64 character in the middle of the plain module: 'A' <-> 'B' changes one bit of the binary.
    const offset = committed.indexOf("plainModuleBase64 = '") + 2000;
    const flipped = Buffer.from(committed);
    flipped[offset] = flipped[offset] === 0x41 ? 0x42 : 0x41;
    writeFileSync(file, flipped);

    const check = await build(directory, ['--check'], false);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(`${generatedName} differs from a fresh build of wasm/*.c at byte ${offset} `);
    expect(check.stderr).toContain('pnpm --filter @robustfair/backend-wasm build');
    expect(readFileSync(file).equals(flipped)).toBe(true);

    const ci = await build(directory, [], true);
    expect(ci.status).toBe(1);
    expect(ci.stderr).toContain(`${generatedName} differs from a fresh build`);
    expect(readFileSync(file).equals(flipped), 'the CI build must not rewrite the committed module').toBe(true);

    const local = await build(directory, [], false);
    expect(local.status, local.stderr).toBe(0);
    expect(readFileSync(file).equals(committed), 'a local build restores exactly what the sources build to').toBe(true);
    // Three builds of four variants each: ~40 s on a quiet 2-core machine, several times that under load.
  }, 400_000);

  it.skipIf(!objdump)('refuses a kernel that uses the shadow stack (a local array)', async () => {
    const directory = copyPackage('shadow-stack');
    writeFileSync(
      path.join(directory, 'wasm', 'uses-stack.c'),
      [
        '#include "simd.h"',
        'EXPORT(uses_stack)',
        'float uses_stack(const float *source, int32_t count) {',
        '  float local[64];',
        '  for (int32_t i = 0; i < 64; i++) local[i] = source[i];',
        '  float sum = 0.0f;',
        '  for (int32_t i = 0; i < count; i++) sum += local[(i * 7) & 63];',
        '  return sum;',
        '}',
        '',
      ].join('\n'),
    );
    const run = await build(directory, [], false);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/uses the shadow stack \(\d+ global\.get\/set/);
  }, 120_000);
});
