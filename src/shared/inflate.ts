/**
 * A one-shot decompressor the host may give for whole compressed bodies: Node's native zlib, registered by the
 * engine, runs ~3x faster than the pure streaming decoder (fflate) the layers below use otherwise. It answers
 * null whenever it cannot give exactly the bytes the streaming decoder would (corrupt or cut input, output past
 * maxOut): the caller then decodes the same bytes the streaming way, so results never depend on the host.
 */
export type InflateFormat = 'gzip' | 'zlib' | 'raw';

export type OneShotInflate = (format: InflateFormat, data: Uint8Array, maxOut: number) => Uint8Array | null;

let backend: OneShotInflate | null = null;

export function registerInflateBackend(inflate: OneShotInflate | null): void {
  backend = inflate;
}

/** The registered one-shot decompressor, or null (then only the streaming decoder is used). */
export function oneShotInflate(): OneShotInflate | null {
  return backend;
}
