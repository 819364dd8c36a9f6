import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '@robustfair/spec';
import { writeCifar10Fixture } from '@robustfair/testkit';
import { create } from 'tar';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCifar10Directory } from '../cifar/cifar-directories.js';
import { cifarArchives, createProgressPrinter, downloadCifarArchive } from './cifar-archives.js';
import { type DownloadProgress, downloadFile } from './download-file.js';

// Everything here talks to a server on 127.0.0.1 that this file starts and stops: no test
// reaches the internet. The archive is a tiny fake CIFAR-10 directory tarred by the test.

type Mode = 'complete' | 'truncate-first' | 'truncate-always' | 'ignore-range' | 'not-found';

const root = mkdtempSync(join(tmpdir(), 'robustfair-download-'));
const trainLabels = Array.from({ length: 10 }, (_, index) => (3 * index) % 10);
let archive: Buffer;
let archiveMd5: string;
let server: Server;
let baseUrl: string;
let mode: Mode = 'truncate-first';
let requests: { range: string | undefined }[] = [];
/** The partial file of the running test's download, when the test names it (see `serve`). */
let watchedPartial: string | undefined;

const half = () => Math.floor(archive.length / 2);

function serve(request: IncomingMessage, response: ServerResponse): void {
  const range = request.headers.range;
  requests.push({ range });
  if (mode === 'not-found') {
    response.writeHead(404).end();
    return;
  }
  const truncate = mode === 'truncate-always' || (mode === 'truncate-first' && requests.length === 1);
  const start = range !== undefined && mode !== 'ignore-range' ? Number(/bytes=(\d+)-/.exec(range)?.[1]) : 0;
  if (start > 0) {
    response.writeHead(206, { 'content-length': archive.length - start, 'content-range': `bytes ${start}-${archive.length - 1}/${archive.length}` });
  } else {
    response.writeHead(200, { 'content-length': archive.length });
  }
  if (!truncate) {
    response.end(archive.subarray(start));
    return;
  }
  // Send part of the body, then drop the connection: the announced length is never reached. When
  // the test watches its partial file, the drop waits until the client has stored some bytes
  // (on a loaded machine it may not have, and a resume from 0 is no resume to check).
  const drop = () => response.socket?.destroy();
  response.write(archive.subarray(start, Math.max(start + 1, half())), () => {
    const deadline = Date.now() + 5000;
    const waitForBytes = () => {
      const stored = watchedPartial !== undefined && existsSync(watchedPartial) ? statSync(watchedPartial).size : 0;
      if (watchedPartial === undefined || stored > start || Date.now() > deadline) setTimeout(drop, 30);
      else setTimeout(waitForBytes, 10);
    };
    waitForBytes();
  });
}

beforeAll(async () => {
  const source = join(root, 'source');
  writeCifar10Fixture(join(source, 'cifar-10-batches-bin'), { trainLabels, testLabels: [1, 2], classNames: 'abcdefghij'.split('') });
  const file = join(root, 'fixture.tar.gz');
  await create({ gzip: true, file, cwd: source }, ['cifar-10-batches-bin']);
  archive = readFileSync(file);
  archiveMd5 = createHash('md5').update(archive).digest('hex');
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cifar-10-binary.tar.gz`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
  mode = 'truncate-first';
  watchedPartial = undefined;
});

let counter = 0;
const freshDirectory = () => join(root, `target-${++counter}`);

describe(downloadCifarArchive, () => {
  it('resumes with an HTTP Range request after a truncated response, verifies, extracts and removes the archive', async () => {
    const directory = freshDirectory();
    watchedPartial = join(directory, 'cifar-10-batches-bin.tar.gz.partial');
    const progress: DownloadProgress[] = [];
    await downloadCifarArchive({ dataset: 'cifar10', directory, url: baseUrl, md5: archiveMd5, onProgress: (event) => progress.push(event) });

    expect(requests).toHaveLength(2);
    expect(requests[0]!.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(half());

    expect(progress.at(-1)).toEqual({ receivedBytes: archive.length, totalBytes: archive.length });
    const data = readCifar10Directory(directory);
    expect(Array.from(data.train.labels)).toEqual(trainLabels);
    expect(Array.from(data.test.labels)).toEqual([1, 2]);
    expect(data.classNames?.[9]).toBe('j');
    expect(existsSync(join(directory, 'cifar-10-batches-bin.tar.gz'))).toBe(false);
    expect(existsSync(join(directory, 'cifar-10-batches-bin.tar.gz.partial'))).toBe(false);
  });

  it('keeps the partial bytes when every attempt fails, and a later call resumes from them', async () => {
    const directory = freshDirectory();
    watchedPartial = join(directory, 'cifar-10-batches-bin.tar.gz.partial');
    mode = 'truncate-always';
    const first = downloadCifarArchive({ dataset: 'cifar10', directory, url: baseUrl, md5: archiveMd5, attempts: 1 });
    await expect(first).rejects.toThrow(DatasetError);
    await expect(first).rejects.toThrow(/failed after 1 attempt\(s\).*bytes are kept in '.*\.partial'; calling again resumes/);
    expect(existsSync(join(directory, 'cifar-10-batches-bin.tar.gz.partial'))).toBe(true);

    mode = 'complete';
    await downloadCifarArchive({ dataset: 'cifar10', directory, url: baseUrl, md5: archiveMd5 });
    expect(requests.at(-1)!.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(readCifar10Directory(directory).train.labels.length).toBe(10);
  });

  it('deletes the bytes and names both checksums on a mismatch', async () => {
    const directory = freshDirectory();
    const wrong = '0'.repeat(32);
    const attempt = downloadCifarArchive({ dataset: 'cifar10', directory, url: baseUrl, md5: wrong });
    await expect(attempt).rejects.toThrow(DatasetError);
    await expect(attempt).rejects.toThrow(new RegExp(`checksum mismatch, expected md5 ${wrong}, got ${archiveMd5}`));
    expect(existsSync(join(directory, 'cifar-10-batches-bin.tar.gz.partial'))).toBe(false);
    expect(existsSync(join(directory, 'data_batch_1.bin'))).toBe(false);
  });

  it('restarts from zero when the server ignores the Range header', async () => {
    const file = join(freshDirectory() + '.bin');
    writeFileSync(`${file}.partial`, Buffer.from('stale bytes that must be overwritten'));
    mode = 'ignore-range';
    await downloadFile({ url: baseUrl, file, md5: archiveMd5 });
    expect(readFileSync(file).equals(archive)).toBe(true);
  });

  it('reports an HTTP error status', async () => {
    mode = 'not-found';
    await expect(downloadFile({ url: baseUrl, file: join(root, 'missing.bin'), md5: archiveMd5, attempts: 1 })).rejects.toThrow(/HTTP 404/);
  });
});

describe('cifarArchives', () => {
  it('documents the official addresses and md5 sums of the binary versions', () => {
    expect(cifarArchives.cifar10).toMatchObject({ url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' });
    expect(cifarArchives.cifar100).toMatchObject({ url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz', md5: '03b5dce01913d631647c71ecec9e9cb8' });
  });
});

describe(createProgressPrinter, () => {
  it('prints one line per 10% step', () => {
    const lines: string[] = [];
    const print = createProgressPrinter('cifar', (line) => lines.push(line));
    for (let received = 0; received <= 1_000_000; received += 50_000) print({ receivedBytes: received, totalBytes: 1_000_000 });
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('cifar: 0% (0.0 of 1.0 MB)');
    expect(lines.at(-1)).toBe('cifar: 100% (1.0 of 1.0 MB)');
  });
});
