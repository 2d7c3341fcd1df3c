import readline from 'node:readline';

/**
 * Asks a yes/no question on a terminal: only `y` or `yes` is yes; Enter, anything else, Ctrl-D or Ctrl-C is no
 * (patronictl's `[y/N]`).
 */
export async function askYesNo(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
	const prompt = readline.createInterface({input, output, terminal: false});
	try {
		return await new Promise<boolean>(resolve => {
			prompt.once('close', () => resolve(false));
			prompt.once('SIGINT', () => resolve(false));
			prompt.question(`${question} [y/N] `, answer => resolve(/^y(es)?$/i.test(answer.trim())));
		});
	} finally {
		prompt.close();
	}
}
