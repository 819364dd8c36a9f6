/**
 * Which build of our kernels runs: `relaxed` (f32x4.relaxed_madd, one fused multiply-add per
 * inner-product step where the CPU has FMA) or `plain` (128-bit SIMD multiply and add). Chosen once
 * per process, by feature detection: relaxed SIMD where the engine validates it (Node 22 and 24,
 * Chrome 114+; Node 20 after `enableRelaxedSimdFlag`), plain elsewhere. `ROBUSTFAIR_WASM_SIMD=plain`
 * or `=relaxed` forces one (tests run the parity suite on both; `relaxed` fails where unsupported).
 */
export type WasmSimdVariant = 'relaxed' | 'plain';

/** The smallest module that uses f32x4.relaxed_madd (opcode 0xfd 0x105): valid only where relaxed SIMD is. */
function relaxedSimdProbe(): Uint8Array {
  const zeros = [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0
  const body = [0x00, ...zeros, ...zeros, ...zeros, 0xfd, 0x85, 0x02, 0x0b]; // no locals; madd; end
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // one type: () -> v128
    ...[0x03, 0x02, 0x01, 0x00], // one function of that type
    ...[0x0a, body.length + 2, 0x01, body.length, ...body], // its code
  ]);
}

/** The one WebAssembly call this needs (the project compiles without the DOM lib). */
const wasmApi = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** Whether this engine accepts relaxed SIMD now. */
export function relaxedSimdSupported(): boolean {
  return wasmApi.validate(relaxedSimdProbe());
}

/** `ROBUSTFAIR_WASM_SIMD` where there is a process environment; undefined when unset or in a browser. */
export function requestedWasmSimdVariant(): WasmSimdVariant | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env['ROBUSTFAIR_WASM_SIMD'];
  if (value === undefined || value === '') return undefined;
  if (value === 'plain' || value === 'relaxed') return value;
  throw new Error(`ROBUSTFAIR_WASM_SIMD is '${value}': expected 'plain' or 'relaxed' (or unset to detect)`);
}

let chosen: WasmSimdVariant | undefined;

/** The variant this process runs (decided on the first call, then fixed: every memory gets the same one). */
export function wasmSimdVariant(): WasmSimdVariant {
  if (chosen !== undefined) return chosen;
  const requested = requestedWasmSimdVariant();
  const supported = relaxedSimdSupported();
  if (requested === 'relaxed' && !supported) {
    throw new Error('ROBUSTFAIR_WASM_SIMD is relaxed, but this JavaScript engine does not support WebAssembly relaxed SIMD (Node 22+, or Node 20 with --experimental-wasm-relaxed-simd)');
  }
  chosen = requested ?? (supported ? 'relaxed' : 'plain');
  return chosen;
}
