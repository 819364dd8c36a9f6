#!/usr/bin/env node
// Builds our own WebAssembly kernels (every wasm/*.c of this package, one module, with wasm/*.h)
// with Debian's clang 16 (packages clang-16 and lld-16: the first Debian clang that emits relaxed
// SIMD's final opcodes) for the wasm32 target, in four variants: for TF.js's single-threaded module
// (plain memory) and for its threaded module (shared memory), each with plain SIMD and with relaxed
// SIMD (fused multiply-add; chosen at run time where the engine supports it). The binaries are embedded, base64,
// in a generated TypeScript file that is committed, so a machine without clang still builds:
// there the sources' SHA-256 must match the one recorded in that file, or the build fails and
// says how to regenerate.
//
//   node scripts/build-wasm.mjs           build: rewrite the generated file when it differs
//                                         (with CI set, check instead: CI never rewrites it)
//   node scripts/build-wasm.mjs --check   build into a temporary folder and fail (exit 1) unless
//                                         the committed file is byte-for-byte the fresh build
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirectory = path.join(packageDirectory, 'wasm');
const sources = readdirSync(sourceDirectory).filter((name) => name.endsWith('.c')).sort().map((name) => path.join(sourceDirectory, name));
// What the generated file depends on: the sources and the headers they include.
const hashed = readdirSync(sourceDirectory).filter((name) => name.endsWith('.c') || name.endsWith('.h')).sort().map((name) => path.join(sourceDirectory, name));
const generated = path.join(packageDirectory, 'src', 'own-kernels.generated.ts');
const generatedName = path.relative(packageDirectory, generated);
const regenerate = 'pnpm --filter @robustfair/backend-wasm build (needs clang-16 and lld-16; CI unset)';
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const check = process.argv.includes('--check') || ci;
const label = process.argv.includes('--check') ? 'build-wasm --check' : ci ? 'build-wasm (CI: check only)' : 'build-wasm';

const common = ['--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-fno-builtin', '-Wall', '-Werror', '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--strip-all'];
const sharedMemory = ['-matomics', '-mbulk-memory', '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'];
const variants = {
  plain: [],
  shared: sharedMemory,
  plainRelaxed: ['-mrelaxed-simd'],
  sharedRelaxed: ['-mrelaxed-simd', ...sharedMemory],
};
// One compiler version, so that a rebuild anywhere is byte-for-byte the committed one. Debian's
// clang-16 runs its own wasm-ld (lld-16).
const compiler = 'clang-16';

/** One hash over every source and header, by name and content (what the test recomputes). */
const hash = createHash('sha256');
for (const file of hashed) hash.update(`${path.basename(file)}\n`).update(readFileSync(file));
const sourceHash = hash.digest('hex');
const committed = (() => {
  try {
    return readFileSync(generated);
  } catch {
    return Buffer.alloc(0);
  }
})();

const clang = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
const linker = spawnSync(compiler, ['-print-prog-name=wasm-ld'], { encoding: 'utf8' });
const linkerPath = linker.status === 0 ? linker.stdout.trim() : '';
if (clang.error || clang.status !== 0 || !linkerPath.startsWith('/') || spawnSync(linkerPath, ['--version']).status !== 0) {
  if (committed.toString('utf8').includes(`sourceSha256 = '${sourceHash}'`)) {
    console.log(`${label}: ${compiler} or its wasm-ld not found, so ${generatedName} is not compared byte for byte; it records the hash of wasm/*.c and *.h (apt-get install clang-16 lld-16 to rebuild and compare)`);
    process.exit(0);
  }
  console.error(`${label}: wasm/*.c or *.h changed since ${generatedName} was generated, and ${compiler} and lld-16 are not both installed to rebuild it: apt-get install clang-16 lld-16, then ${regenerate}`);
  process.exit(1);
}

// Debian's llvm-objdump (versioned name first) checks the shadow-stack rule when installed.
const objdump = ['llvm-objdump-16', 'llvm-objdump'].find((command) => spawnSync(command, ['--version']).status === 0);

// Compile into a temporary folder: nothing in the package changes until the result is known.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'robustfair-wasm-build-'));
const binaries = {};
try {
  for (const [name, flags] of Object.entries(variants)) {
    const output = path.join(scratch, `${name}.wasm`);
    const run = spawnSync(compiler, [...common, ...flags, '-o', output, ...sources], { encoding: 'utf8' });
    if (run.status !== 0) {
      console.error(`${label}: clang failed for the ${name} variant:\n${run.stderr}`);
      process.exit(1);
    }
    // Helper threads run this module on one memory, so it must never touch its shadow stack
    // (the __stack_pointer global): no local arrays, no large structs by value (README.md).
    if (objdump) {
      const listing = spawnSync(objdump, ['-d', output], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const uses = listing.stdout.split('\n').filter((line) => /\bglobal\.(get|set)\b/.test(line));
      if (listing.status !== 0 || uses.length > 0) {
        console.error(`${label}: the ${name} variant ${listing.status !== 0 ? `could not be disassembled by ${objdump}` : `uses the shadow stack (${uses.length} global.get/set, e.g. ${uses[0]?.trim()})`}; wasm/*.c must not use local arrays`);
        process.exit(1);
      }
    }
    binaries[name] = readFileSync(output).toString('base64');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const version = clang.stdout.split('\n')[0].trim();
const fresh = Buffer.from(`// Generated by scripts/build-wasm.mjs from ${sources.map((file) => `wasm/${path.basename(file)}`).join(', ')} (${version}). Do not edit.
export const sourceSha256 = '${sourceHash}';
/** For TF.js's single-threaded wasm module (plain memory). */
export const plainModuleBase64 = '${binaries.plain}';
/** For TF.js's threaded wasm module (shared memory). */
export const sharedModuleBase64 = '${binaries.shared}';
/** The single-threaded variant built with relaxed SIMD (f32x4.relaxed_madd in the convolutions). */
export const plainRelaxedModuleBase64 = '${binaries.plainRelaxed}';
/** The threaded variant built with relaxed SIMD. */
export const sharedRelaxedModuleBase64 = '${binaries.sharedRelaxed}';
`);

const difference = firstDifference(committed, fresh);
if (difference === -1) {
  console.log(`${label}: ${generatedName} is byte-for-byte what wasm/*.c builds to`);
  process.exit(0);
}
if (check) {
  const where = committed.length === 0 ? 'is missing' : `differs from a fresh build of wasm/*.c at byte ${difference} (${committed.length} bytes committed, ${fresh.length} built)`;
  console.error(`${label}: ${generatedName} ${where}; run ${regenerate} and commit it`);
  process.exit(1);
}
const temporary = `${generated}.${process.pid}.tmp`;
writeFileSync(temporary, fresh);
renameSync(temporary, generated);
console.log(`${label}: wrote ${generatedName}`);

/** The offset of the first byte where two buffers differ (a length difference counts), or -1 when equal. */
function firstDifference(a, b) {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) if (a[index] !== b[index]) return index;
  return a.length === b.length ? -1 : length;
}
