import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DatasetError } from '@robustfair/spec';

/** How far a download has come. `totalBytes` is absent when the server does not say. */
export interface DownloadProgress {
  readonly receivedBytes: number;
  readonly totalBytes?: number;
}

/** What `downloadFile` needs. */
export interface DownloadFileOptions {
  readonly url: string;
  /** Where the verified file ends up; bytes collect in `${file}.partial` until then. */
  readonly file: string;
  /** Expected md5 of the whole file, lowercase hex. */
  readonly md5: string;
  /** Called after every chunk written. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Requests before giving up; each one resumes where the last stopped. Default 3. */
  readonly attempts?: number;
}

const sizeOf = async (file: string) => {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
};

/** md5 of a file, lowercase hex, streamed (archives are too big to read at once). */
export async function md5OfFile(file: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * One request: asks for the bytes after what `partial` already holds (HTTP Range) and appends
 * them; a server that ignores the range (200) restarts the file. Resolves when the body ends
 * with as many bytes as announced, rejects when the connection drops or the body is short.
 */
async function requestInto(url: string, partial: string, onProgress: DownloadFileOptions['onProgress']): Promise<void> {
  const start = await sizeOf(partial);
  const response = await fetch(url, start > 0 ? { headers: { range: `bytes=${start}-` } } : {});
  // 416: nothing after `start`, i.e. the partial file is already whole; the checksum decides.
  if (response.status === 416 && start > 0) return;
  if (response.status !== 200 && response.status !== 206) {
    throw new DatasetError(`download of '${url}' failed: HTTP ${response.status} ${response.statusText}`);
  }
  const resumed = response.status === 206;
  const offset = resumed ? start : 0;
  const total = resumed
    ? Number(/\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? NaN)
    : Number(response.headers.get('content-length') ?? NaN);
  if (resumed && !(response.headers.get('content-range') ?? '').startsWith(`bytes ${start}-`)) {
    throw new DatasetError(`download of '${url}': asked for bytes from ${start}, the server sent '${response.headers.get('content-range')}'`);
  }
  if (response.body === null) throw new DatasetError(`download of '${url}' failed: the response has no body`);
  let received = offset;
  const totalBytes = Number.isFinite(total) ? total : undefined;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      onProgress?.(totalBytes === undefined ? { receivedBytes: received } : { receivedBytes: received, totalBytes });
      done(null, chunk);
    },
  });
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    counter,
    createWriteStream(partial, { flags: resumed ? 'a' : 'w' }),
  );
  if (totalBytes !== undefined && received < totalBytes) {
    throw new DatasetError(`download of '${url}' ended early: ${received} of ${totalBytes} bytes`);
  }
}

/**
 * Downloads `url` to `file`, resumably and verified. Bytes go to `${file}.partial`; a dropped
 * connection is retried (up to `attempts` requests in all), each retry asking only for the
 * missing bytes with an HTTP Range request, and a later call resumes the same way. When the
 * bytes are complete their md5 is checked: a mismatch deletes the partial file (its bytes cannot
 * be trusted) and throws a DatasetError with both checksums; a match renames it to `file`.
 */
export async function downloadFile({ url, file, md5, onProgress, attempts = 3 }: DownloadFileOptions): Promise<void> {
  const partial = `${file}.partial`;
  for (let attempt = 1; ; attempt++) {
    try {
      await requestInto(url, partial, onProgress);
      break;
    } catch (error) {
      if (attempt >= attempts) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DatasetError(
          `download of '${url}' failed after ${attempts} attempt(s): ${reason}. ` +
            `${await sizeOf(partial)} bytes are kept in '${partial}'; calling again resumes from there`,
        );
      }
    }
  }
  const actual = await md5OfFile(partial);
  if (actual !== md5.toLowerCase()) {
    await rm(partial, { force: true });
    throw new DatasetError(
      `download of '${url}': checksum mismatch, expected md5 ${md5.toLowerCase()}, got ${actual}. The file was deleted; download it again`,
    );
  }
  await rename(partial, file);
}
