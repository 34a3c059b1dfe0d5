/**
 * Output files of the picture commands: relative or absolute paths, parent directories created as needed,
 * an existing file is only replaced with --force.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { PcaplensError } from '../../shared/errors.js';

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path for OUT; E_EXISTS when it exists and force is off; parent directory created. */
export async function prepareOutput(out: string, force: boolean): Promise<string> {
  const abs = resolve(out);
  if (!force && (await exists(abs))) {
    throw new PcaplensError('E_EXISTS', `${out} exists (use --force to replace it)`);
  }
  try {
    await mkdir(dirname(abs), { recursive: true });
  } catch (e) {
    throw new PcaplensError('E_IO', `cannot create the directory for ${out}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return abs;
}

export async function writeOutput(abs: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFile(abs, data);
  } catch (e) {
    throw new PcaplensError('E_IO', `cannot write ${abs}: ${(e as Error).message}`, { cause: e });
  }
}

/** Lower-case extension without the dot ("svg"), or "" when there is none. */
export function outputKind(out: string): string {
  return extname(out).slice(1).toLowerCase();
}
