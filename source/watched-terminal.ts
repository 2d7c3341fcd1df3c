/**
 * Ink draws nothing until the program exits when it believes it runs in CI: it reads CI and CONTINUOUS_INTEGRATION
 * once, as it loads. A terminal on stdout is a person watching, wherever those variables came from (a shell that
 * exported CI=true, a test harness), so this process forgets them before Ink loads. Nothing else here reads them.
 */
export function forgetCiWhenWatched(stdout: {readonly isTTY?: boolean}, env: NodeJS.ProcessEnv): void {
	if (!stdout.isTTY) return;
	delete env['CI'];
	delete env['CONTINUOUS_INTEGRATION'];
}
