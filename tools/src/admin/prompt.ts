// Reading a secret for a command: from a pipe (scripts, CI) or typed at a terminal without echo.
import { createInterface } from 'node:readline';

export async function readSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new Error('expected the password on standard input');
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const write = (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput;
  // Show the question, then nothing of what is typed.
  (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
    if (text.includes(question)) write.call(terminal, text);
  };
  const answer = await new Promise<string>((resolve) => terminal.question(question, resolve));
  terminal.close();
  process.stdout.write('\n');
  return answer;
}
