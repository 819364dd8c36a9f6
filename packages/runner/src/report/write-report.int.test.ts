import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandAblation } from '../config/expand-ablation.js';
import { parseExperimentSpec, type LoadedConfig } from '../config/load-config.js';
import { runExperiments } from '../run-experiments.js';
import type { ArmResult } from '../run/run-types.js';
import { silentReporter } from './progress-reporter.js';
import { reportPlotNames, writeReport, type WrittenReport } from './write-report.js';

// End to end: real (tiny) runs on the synthetic dataset, then the report over a comparison
// directory and an arm directory of another experiment, merged.

const base = {
  seed: 0,
  backend: 'cpu',
  dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 8, validationPerClass: 2, testPerClass: 4 } },
  model: { id: 'small-cnn', options: { width: 2 } },
  trainingAttack: { id: 'pgd', options: { steps: 1 } },
  training: { epochs: 2, batchSize: 12 },
  evaluation: { batchSize: 12, attacks: [{ name: 'pgd2', attack: { id: 'pgd', options: { steps: 2 } } }, 'fgsm'] },
};

function config(raw: Record<string, unknown>, compare?: LoadedConfig['compare']): LoadedConfig {
  return { file: path.join(os.tmpdir(), `${String(raw['name'])}.json`), raw, spec: parseExperimentSpec(raw), ...(compare ? { compare } : {}) };
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Checks the PNG signature and the IHDR chunk; returns the image's width and height. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
  expect(new TextDecoder().decode(bytes.subarray(12, 16))).toBe('IHDR');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const percent = (value: number) => (100 * value).toFixed(1);

let out: string;
let report: WrittenReport;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-report-'));
  const compare = expandAblation([
    { field: 'fairness.id', values: ['identity', 'class-reweight', 'cfa-ccm'] },
    { field: 'seed', values: [0, 1] },
  ]);
  await runExperiments(config({ ...base, name: 'grid' }, compare), { out, reporter: silentReporter });
  // An ABSLD arm (class-wise teacher temperatures) of another experiment, given as an arm directory.
  await runExperiments(
    config({
      ...base,
      name: 'kd',
      distiller: { id: 'rslad' },
      teacher: { model: { id: 'small-cnn', options: { width: 2 } }, objective: { id: 'sat' }, trainingAttack: { id: 'pgd', options: { steps: 1 } }, training: { epochs: 1, batchSize: 12 } },
      fairness: { id: 'absld' },
    }),
    { out, reporter: silentReporter },
  );
  report = await writeReport([path.join(out, 'grid'), path.join(out, 'kd', 'kd')], { out: path.join(out, 'report'), generatedAt: new Date('2025-06-01T12:00:00Z') });
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe(writeReport, () => {
  it('writes report.html, report.md and every plot as SVG and PNG', async () => {
    const files = (await readdir(path.join(out, 'report', 'plots'))).sort();
    expect(files).toEqual([...reportPlotNames].flatMap((name) => [`${name}.png`, `${name}.svg`]).sort());
    for (const name of reportPlotNames) {
      const svg = await readFile(path.join(out, 'report', 'plots', `${name}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toMatch(/class="mark-[a-z]+ role-mark/);
      const svgWidth = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
      const { width, height } = pngSize(new Uint8Array(await readFile(path.join(out, 'report', 'plots', `${name}.png`))));
      expect(width).toBe(2 * svgWidth);
      expect(height).toBeGreaterThan(0);
    }
    expect(report.model.methods.map((method) => [method.name, method.arms.length])).toEqual([
      ['identity', 2],
      ['class-reweight', 2],
      ['cfa-ccm', 2],
      ['kd', 1],
    ]);
    // Knobs: the strategies that set per-class knobs, not identity.
    const knobs = await readFile(path.join(out, 'report', 'plots', 'knobs.svg'), 'utf8');
    for (const text of ['class-reweight-seed0', 'cfa-ccm-seed1', 'kd', 'temperature.natural', 'robustWeight', 'epsilon']) expect(knobs).toContain(`>${text}<`);
    expect(knobs).not.toContain('>identity-seed0<');
  });

  it("puts each method's mean ± std over seeds of the arms' results in the Markdown table", async () => {
    const markdown = await readFile(report.markdown, 'utf8');
    const results = await Promise.all(
      ['identity-seed0', 'identity-seed1'].map(async (label) => JSON.parse(await readFile(path.join(out, 'grid', label, 'result.json'), 'utf8')) as ArmResult),
    );
    const cell = (values: number[]) => {
      const mean = (values[0]! + values[1]!) / 2;
      return `${percent(mean)} ± ${percent(Math.abs(values[0]! - values[1]!) / Math.SQRT2)}`;
    };
    const worstCase = results.map((result) => result.evaluation.attacks['worst-case']!);
    const clean = results.map((result) => result.evaluation.clean);
    expect(markdown).toContain(
      `| identity | 2 (0, 1) | ${cell(clean.map((row) => row.average))} | ${cell(clean.map((row) => row.worstClass.accuracy))} | `,
    );
    expect(markdown).toContain(`| ${cell(worstCase.map((row) => row.average))} | ${cell(worstCase.map((row) => row.worstClass.accuracy))} | `);
    expect(markdown).toContain('| Method | Seeds | Clean Avg. | Clean Worst | pgd2 Avg. | pgd2 Worst | fgsm Avg. | fgsm Worst | Worst case Avg. | Worst case Worst | NSD |');
    expect(markdown).toContain('![Class-wise robust accuracy](plots/class-robust-accuracy.png)');
    expect(markdown).toMatch(/\| kd \| 1 \(0\) \| \d+\.\d \| \d+\.\d \|/); // one seed: no ±
  });

  it('renders deterministically: only the HTML footer depends on the time; --no-png removes the PNGs', async () => {
    const again = path.join(out, 'again');
    const second = await writeReport([path.join(out, 'grid'), path.join(out, 'kd', 'kd')], { out: again, generatedAt: new Date('2030-01-01T00:00:00Z') });
    expect(await readFile(second.markdown, 'utf8')).toBe(await readFile(report.markdown, 'utf8'));
    for (const name of reportPlotNames) {
      expect(await readFile(path.join(again, 'plots', `${name}.svg`), 'utf8')).toBe(await readFile(path.join(out, 'report', 'plots', `${name}.svg`), 'utf8'));
    }
    const footer = /<footer>.*<\/footer>/;
    const first = await readFile(report.html, 'utf8');
    const later = await readFile(second.html, 'utf8');
    expect(later).not.toBe(first);
    expect(later.replace(footer, '')).toBe(first.replace(footer, ''));

    const svgOnly = await writeReport([path.join(out, 'grid'), path.join(out, 'kd', 'kd')], { out: again, png: false });
    expect((await readdir(path.join(again, 'plots'))).filter((file) => file.endsWith('.png'))).toEqual([]);
    expect(svgOnly.plots.every((file) => file.endsWith('.svg'))).toBe(true);
    expect(await readFile(svgOnly.markdown, 'utf8')).toContain('![Class-wise robust accuracy](plots/class-robust-accuracy.svg)');
  });
});

const chromiumPath = [process.env['ROBUSTFAIR_CHROMIUM'], '/usr/bin/chromium'].find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate as string));
if (!chromiumPath) console.warn('report.html browser test skipped: no Chromium at $ROBUSTFAIR_CHROMIUM or /usr/bin/chromium (apt-get install chromium)');

describe('report.html in headless Chromium', () => {
  it.skipIf(!chromiumPath)(
    `shows every plot as an SVG with marks, loads nothing else, and screenshots${chromiumPath ? '' : ' (skipped: no Chromium; set ROBUSTFAIR_CHROMIUM)'}`,
    async () => {
      const browser = await chromium.launch({ executablePath: chromiumPath as string, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const requests: string[] = [];
        const errors: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        const url = pathToFileURL(report.html).href;
        await page.goto(url);
        const figures = await page.$$eval('figure.plot', (elements) =>
          elements.map((figure) => {
            const svg = figure.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            const marks = svg ? [...svg.querySelectorAll('.role-mark path, .role-mark rect')] : [];
            const drawn = marks.filter((mark) => {
              const markBox = mark.getBoundingClientRect();
              return markBox.width > 0 || markBox.height > 0;
            });
            return { id: figure.id, width: box?.width ?? 0, height: box?.height ?? 0, marks: marks.length, drawn: drawn.length };
          }),
        );
        expect(figures.map((figure) => figure.id)).toEqual(reportPlotNames.map((name) => `plot-${name}`));
        for (const figure of figures) {
          expect(figure.width, figure.id).toBeGreaterThan(0);
          expect(figure.height, figure.id).toBeGreaterThan(0);
          expect(figure.marks, figure.id).toBeGreaterThan(0);
          expect(figure.drawn, figure.id).toBeGreaterThan(0);
        }
        expect(await page.locator('#table-methods tbody tr').count()).toBe(4);
        const screenshot = await page.screenshot({ fullPage: true });
        const { width, height } = pngSize(new Uint8Array(screenshot));
        expect(width).toBe(1280);
        expect(height).toBeGreaterThan(900);
        expect(requests).toEqual([url]);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
