// Runs the `latchkey` command line in-process for tests: captured output, a scripted terminal, a copy of the environment.

import { main, type CliIo } from '../../src/main/cli/main.js';

export interface CapturedCli {
  io: CliIo;
  out: string[];
  err: string[];
  /** Questions asked through io.prompt. */
  asked: string[];
  text(): string;
}

export interface CaptureCliOptions {
  /** Makes the capture a terminal that types these answers in turn. */
  answers?: string[];
  /**
   * The environment the command starts with. A copy is given, as a new process would get: the command takes the
   * LATCHKEY_* secrets out of its own. @default process.env
   */
  env?: Record<string, string | undefined>;
}

export function captureCli(options: CaptureCliOptions = {}): CapturedCli {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...(options.env ?? process.env) } };
  const answers = options.answers;
  if (answers) {
    io.interactive = true;
    io.prompt = async (question) => {
      asked.push(question);
      const answer = answers.shift();
      return answer === undefined ? undefined : Buffer.from(answer);
    };
  }
  return { io, out, err, asked, text: () => [...out, ...err].join('\n') };
}

/** Runs `latchkey --data-dir D --virtual-key K ...args` and returns the exit code with what it printed. */
export async function runLatchkey(
  home: { dataDir: string; key: string },
  args: string[],
  captured: CapturedCli = captureCli(),
): Promise<CapturedCli & { code: number }> {
  const code = await main(['--data-dir', home.dataDir, '--virtual-key', home.key, ...args], captured.io);
  return { code, ...captured };
}
