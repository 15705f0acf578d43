import { Presets, SingleBar } from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number): void;
  /** A step without a count (e.g. building indexes): ends the bar and prints a line. */
  stage(message: string): void;
  stop(): void;
}

/**
 * Progress on stderr, so stdout keeps only the result. A live bar on a terminal; elsewhere (CI
 * logs, pipes) one line per tenth, since a redrawn bar would fill a log with control codes.
 */
export function createProgressReporter(
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        stream,
        format: `{bar} {percentage}% | {value}/{total} ${unit} | {duration_formatted} | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
      stage(message) {
        if (started) bar.stop();
        started = false;
        stream.write(`${message}…\n`);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }

  let nextTenth = -1;
  return {
    update(done, total) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (nextTenth === -1) nextTenth = tenth + 1;
      else if (tenth >= nextTenth) {
        stream.write(`${done}/${total} ${unit} (${tenth * 10}%)\n`);
        nextTenth = tenth + 1;
      }
    },
    stage(message) {
      stream.write(`${message}…\n`);
    },
    stop() {},
  };
}
