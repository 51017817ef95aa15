import type { WriteStream } from 'node:tty';

/**
 * One self-rewriting line on a terminal's stderr: bytes read, rows per second and time left.
 * The caller only makes one when stderr is a terminal, so pipes and files never see it.
 */
export function progressLine(stream: WriteStream) {
  let started = Date.now();
  let shown = false;
  let last = 0;
  let bytesBefore = 0;
  let verb = 'reading';
  return {
    update(bytesDone: number, bytesTotal: number, rowsDone: number): void {
      const now = Date.now();
      // Fewer bytes than before: the files are read again (a replay fed while reading gave way).
      if (bytesDone < bytesBefore) [started, verb] = [now, 'reading again'];
      bytesBefore = bytesDone;
      if (now - last < 200 && bytesDone < bytesTotal) return;
      last = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const left = bytesDone === 0 ? 0 : (seconds * (bytesTotal - bytesDone)) / bytesDone;
      const line = `${verb} ${mib(bytesDone)}/${mib(bytesTotal)} MiB, ${Math.round(rowsDone / seconds).toLocaleString('en')} rows/s, ${left.toFixed(0)} s left`;
      stream.write(`\r${line.padEnd(72)}`);
      shown = true;
    },
    done(): void {
      if (shown) stream.write(`\r${' '.repeat(72)}\r`);
      shown = false;
    },
  };
}

function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(0);
}
