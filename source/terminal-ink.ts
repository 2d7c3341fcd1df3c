/**
 * Ink draws nothing until the program exits when it believes it runs in CI: it reads CI and CONTINUOUS_INTEGRATION
 * once, as it loads. A terminal on stdout is a person watching, wherever those variables came from (a shell that
 * exported CI=true, a test harness), so Ink is loaded without them, and they are given back at once for anything
 * that reads them later.
 */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

export async function loadInkForTerminal(): Promise<void> {
	const saved = CI_VARIABLES.map(name => [name, process.env[name]] as const);
	if (saved.every(([, value]) => value === undefined)) return;
	for (const [name] of saved) delete process.env[name];
	try {
		await import('ink');
	} finally {
		for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
	}
}
