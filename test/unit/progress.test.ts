import type { WriteStream } from 'node:tty';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressLine } from '../../engine/cli/progress.js';

const MiB = 1 << 20;

describe('progress line', () => {
  afterEach(() => void vi.useRealTimers());

  it('shows bytes, rows a second and time left, and says so when the files are read again', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const written: string[] = [];
    const progress = progressLine({ write: (text: string) => written.push(text) } as unknown as WriteStream);
    vi.setSystemTime(2000);
    progress.update(100 * MiB, 400 * MiB, 300_000);
    // 100 of 400 MiB in 2 s: 6 s left, 150,000 rows a second.
    expect(written.pop()?.trim()).toBe('reading 100/400 MiB, 150,000 rows/s, 6 s left');
    vi.setSystemTime(2100);
    progress.update(200 * MiB, 400 * MiB, 600_000);
    expect(written).toEqual([]); // at most one line in 200 ms
    vi.setSystemTime(3000);
    progress.update(0, 400 * MiB, 0);
    vi.setSystemTime(4000);
    progress.update(200 * MiB, 400 * MiB, 500_000);
    // Timed from the restart at 3 s: 200 MiB in 1 s.
    expect(written.pop()?.trim()).toBe('reading again 200/400 MiB, 500,000 rows/s, 1 s left');
    progress.done();
    expect(written.pop()).toMatch(/^\r +\r$/);
  });
});
