import { afterEach, describe, expect, it, vi } from 'vitest';

// Each case imports the module afresh: the variant is decided once per module instance.
async function freshVariantModule() {
  vi.resetModules();
  return import('./wasm-simd-variant.js');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('wasmSimdVariant', () => {
  it('detects relaxed SIMD by validating a module that uses f32x4.relaxed_madd: on from Node 22 (V8 11.4+)', async () => {
    const { relaxedSimdSupported } = await freshVariantModule();
    const major = Number(process.versions.node.split('.')[0]);
    // On Node 20 it is behind a V8 flag, which an earlier test file in this process may have set.
    if (major >= 22) expect(relaxedSimdSupported()).toBe(true);
    else expect(typeof relaxedSimdSupported()).toBe('boolean');
  });

  it('takes ROBUSTFAIR_WASM_SIMD=plain over detection, and keeps its first answer', async () => {
    vi.stubEnv('ROBUSTFAIR_WASM_SIMD', 'plain');
    const { wasmSimdVariant } = await freshVariantModule();
    expect(wasmSimdVariant()).toBe('plain');
    vi.stubEnv('ROBUSTFAIR_WASM_SIMD', 'relaxed');
    expect(wasmSimdVariant()).toBe('plain');
  });

  it('without a request, runs relaxed exactly where it is supported', async () => {
    vi.stubEnv('ROBUSTFAIR_WASM_SIMD', '');
    const { relaxedSimdSupported, wasmSimdVariant } = await freshVariantModule();
    expect(wasmSimdVariant()).toBe(relaxedSimdSupported() ? 'relaxed' : 'plain');
  });

  it('names the variable and the values it takes when it holds anything else', async () => {
    vi.stubEnv('ROBUSTFAIR_WASM_SIMD', 'fma');
    const { wasmSimdVariant } = await freshVariantModule();
    expect(() => wasmSimdVariant()).toThrow("ROBUSTFAIR_WASM_SIMD is 'fma': expected 'plain' or 'relaxed' (or unset to detect)");
  });
});
