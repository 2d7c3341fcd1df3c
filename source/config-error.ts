/** A configuration the monitor refuses: the CLI prints the message and exits 2, before connecting to anything. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}
