// The Debian kernel sources the benchmarks run on, installed and extracted on first use into a
// cache outside the repository (never committed). LOCKREVIEW_KERNEL points at another tree.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Debian package versions the benchmarks know: `linux-source-6.12` (default), `-6.1`. */
export type KernelVersion = '6.12' | '6.1';

/**
 * The extracted tree, extracting it (and, unless `install` is false, installing the Debian
 * package) when missing. Undefined only when `install` is false and the package is absent.
 * LOCKREVIEW_KERNEL overrides the 6.12 tree.
 */
export function kernelTree(): string;
export function kernelTree(options: { install: false; version?: KernelVersion }): string | undefined;
export function kernelTree(options: { install: true; version?: KernelVersion }): string;
export function kernelTree(options: { install: boolean; version?: KernelVersion } = { install: true }): string | undefined {
  const VERSION = options.version ?? '6.12';
  const TARBALL = `/usr/src/linux-source-${VERSION}.tar.xz`;
  if (process.env.LOCKREVIEW_KERNEL && VERSION === '6.12') return process.env.LOCKREVIEW_KERNEL;
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'lockreview');
  const tree = path.join(cache, `linux-source-${VERSION}`);
  if (fs.existsSync(path.join(tree, 'include', 'linux'))) return tree;
  if (!fs.existsSync(TARBALL)) {
    if (!options.install) return undefined;
    process.stderr.write(`bench: installing linux-source-${VERSION} (apt-get)\n`);
    execFileSync('apt-get', ['install', '-y', `linux-source-${VERSION}`], { stdio: 'inherit' });
  }
  process.stderr.write(`bench: extracting ${TARBALL} into ${cache}\n`);
  fs.mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['-xJf', TARBALL, '-C', cache], { stdio: 'inherit' });
  return tree;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
