import type { Model } from '@robustfair/spec';
import { expectNoTensorLeak } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { createMobileNetV2 } from '../mobilenet-v2/mobilenet-v2.js';
import { createSmallCnn } from '../small-cnn/small-cnn.js';
import { exportSafetensors, serializeSafetensors } from './export-safetensors.js';
import { importSafetensors } from './import-safetensors.js';
import { decodeFloat32, parseSafetensors } from './safetensors.js';

const values = (model: Model) => model.namedVariables().map(({ name, variable }) => [name, Array.from(variable.dataSync())] as const);

describe('exportSafetensors', () => {
  it('small CNN: importing the export into a differently initialised model restores every value bit for bit', () => {
    const source = createSmallCnn({ numClasses: 10, inputShape: [8, 8, 3], width: 4, seed: 1 });
    const target = createSmallCnn({ numClasses: 10, inputShape: [8, 8, 3], width: 4, seed: 2 });
    expect(values(target)).not.toEqual(values(source));
    const report = importSafetensors(target, exportSafetensors(source, { architecture: 'small-cnn' }), { architecture: 'small-cnn' });
    expect(values(target)).toEqual(values(source));
    // The three batch norms' step counters are written for PyTorch and skipped on import.
    expect(report.ignored).toEqual(['bn1.num_batches_tracked', 'bn2.num_batches_tracked', 'bn3.num_batches_tracked']);
    source.dispose();
    target.dispose();
  });

  it('MobileNetV2 (depthwise kernels) round-trips too', () => {
    const source = createMobileNetV2({ numClasses: 10, inputShape: [8, 8, 3], width: 8, seed: 3 });
    const target = createMobileNetV2({ numClasses: 10, inputShape: [8, 8, 3], width: 8, seed: 4 });
    importSafetensors(target, exportSafetensors(source, { architecture: 'mobilenet-v2' }), { architecture: 'mobilenet-v2' });
    expect(values(target)).toEqual(values(source));
    source.dispose();
    target.dispose();
  });

  it("writes PyTorch's layouts: conv OIHW, linear [out, in], element by element", () => {
    const model = createSmallCnn({ numClasses: 3, inputShape: [4, 4, 2], width: 2, seed: 5 });
    const entries = parseSafetensors(exportSafetensors(model, { architecture: 'small-cnn', metadata: { run: 'test' } }));
    const variable = (name: string) => model.namedVariables().find((named) => named.name === name)!.variable;

    const conv = entries.get('conv1.weight')!;
    expect(conv.shape).toEqual([2, 2, 3, 3]); // [out, in, kh, kw]
    const convOurs = variable('conv1.weight').arraySync() as number[][][][]; // [kh, kw, in, out]
    const convTheirs = decodeFloat32(conv);
    for (let o = 0; o < 2; o++) for (let i = 0; i < 2; i++) for (let h = 0; h < 3; h++) for (let w = 0; w < 3; w++) {
      expect(convTheirs[((o * 2 + i) * 3 + h) * 3 + w]).toBe(Math.fround(convOurs[h]![w]![i]![o]!));
    }

    const dense = entries.get('fc.weight')!;
    expect(dense.shape).toEqual([3, 8]); // [out, in]
    const denseOurs = variable('fc.weight').arraySync() as number[][]; // [in, out]
    const denseTheirs = decodeFloat32(dense);
    for (let o = 0; o < 3; o++) for (let i = 0; i < 8; i++) expect(denseTheirs[o * 8 + i]).toBe(Math.fround(denseOurs[i]![o]!));

    const counter = entries.get('bn1.num_batches_tracked')!;
    expect(counter).toMatchObject({ dtype: 'I64', shape: [] });
    expect(Array.from(counter.bytes)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    model.dispose();
  });

  it('aligns the data to 8 bytes and keeps metadata', () => {
    const file = serializeSafetensors([{ name: 'a', dtype: 'F32', shape: [1], bytes: new Uint8Array(4) }], { note: 'x' });
    const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength))) as Record<string, unknown>;
    expect(header['__metadata__']).toEqual({ note: 'x' });
    expect(header['a']).toEqual({ dtype: 'F32', shape: [1], data_offsets: [0, 4] });
    expect(() => serializeSafetensors([{ name: 'a', dtype: 'F32', shape: [], bytes: new Uint8Array(4) }, { name: 'a', dtype: 'F32', shape: [], bytes: new Uint8Array(4) }])).toThrow(/'a' appears twice/);
  });

  it('leaks no tensors', async () => {
    const model = createSmallCnn({ numClasses: 3, inputShape: [4, 4, 2], width: 2, seed: 5 });
    await expectNoTensorLeak(() => void exportSafetensors(model, { architecture: 'small-cnn' }), 'exportSafetensors');
    model.dispose();
  });
});

