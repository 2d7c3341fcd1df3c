import {fetchStatsCsv, parseStatsCsv, socketCommand} from '../clients/haproxy.js';
import type {HaproxyView} from '../model/views.js';
import {pollSource, type Source} from './source.js';
import {errorMessage} from '../errors.js';
import type {Pace} from './cadence.js';
import type {TlsClientSettings} from '../clients/tls-files.js';

export type HaproxySourceOptions = {
	/** The stats page's CSV export, e.g. http://127.0.0.1:7000/;csv */
	readonly statsUrl?: string;
	/** The admin socket (`stats socket ... level admin`); often readable by HAProxy's user only. */
	readonly socketPath?: string;
	/** Milliseconds between polls, or a pace: fast while anything happens, slower when calm. */
	readonly interval: number | Pace;
	readonly timeoutMs: number;
	/** For a stats page on https. */
	readonly tls?: TlsClientSettings | undefined;
};

/**
 * HAProxy's view of every server behind every listener. The socket is asked first when given: it also tells
 * each server's address. When it cannot be read (permissions, most often) the stats page is asked instead, and
 * `via` says which one answered.
 */
export function haproxySource({statsUrl, socketPath, interval, timeoutMs, tls}: HaproxySourceOptions): Source<HaproxyView> {
	if (!statsUrl && !socketPath) throw new Error('haproxySource needs a stats URL or an admin socket path');
	return pollSource(async signal => {
		let socketError: unknown;
		if (socketPath) {
			try {
				const text = await socketCommand(socketPath, 'show stat', {timeoutMs, signal});
				return {servers: parseStatsCsv(text), via: 'socket'};
			} catch (error) {
				if (!statsUrl || signal.aborted) throw error;
				socketError = error;
			}
		}
		try {
			const text = await fetchStatsCsv(statsUrl!, {timeoutMs, signal, tls});
			return {servers: parseStatsCsv(text), via: 'http'};
		} catch (error) {
			if (socketError === undefined) throw error;
			throw new Error(`admin socket: ${errorMessage(socketError)}; stats page: ${errorMessage(error)}`);
		}
	}, interval);
}
