/**
 * The real monitor, headless: the App that `patroni-tui` renders, with its real runner and flows, drawn by
 * ink-testing-library into a terminal of a chosen size, and watched from outside by a FrameRecorder that also
 * scans every frame for the labs' passwords.
 */
import './production-react.js';
import {render} from 'ink-testing-library';
import {App} from '../../components/app.js';
import type {MonitorConfig} from '../../source/config.js';
import type {Monitor} from '../../source/monitor.js';
import type {OperationRecord} from '../../source/operations/runner.js';
import {createAppFlows, createMonitor, createRunner} from '../../source/run-monitor.js';
import {FrameRecorder} from './frame-recorder.js';
import {scanForSecrets} from './secrets-scan.js';

export type Headless = ReturnType<typeof startHeadless>;

export function startHeadless(config: MonitorConfig, size: {columns: number; rows: number} = {columns: 160, rows: 50}) {
	const warnings: string[] = [];
	const monitor: Monitor = createMonitor(config, message => warnings.push(message));
	const runner = createRunner(config, monitor);
	monitor.start();
	const ui = render(<App monitor={monitor} isReadOnly={config.isReadOnly} runner={runner} flows={createAppFlows(config, monitor)} />);
	const recorder = new FrameRecorder(ui, text => void scanForSecrets('a frame', text)).start();

	/** What a terminal emulator does on SIGWINCH: new size on the stream, then 'resize'. */
	const resize = (columns: number, rows: number) => {
		Object.defineProperty(ui.stdout, 'columns', {value: columns, configurable: true, writable: true});
		Object.defineProperty(ui.stdout, 'rows', {value: rows, configurable: true, writable: true});
		ui.stdout.emit('resize');
	};
	resize(size.columns, size.rows);

	/** Keys one at a time, each given time to render and for Ink to re-arm its input handler (as app-keys does). */
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			ui.stdin.write(key);
			await new Promise(resolve => setTimeout(resolve, 60));
		}
	};

	/** The runner's record of the newest operation whose title matches, once it has finished. */
	const finished = async (title: RegExp, timeoutMs: number): Promise<OperationRecord> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const record = runner.getView().operations.findLast(candidate => title.test(candidate.title));
			if (record && record.state !== 'running') return record;
			if (Date.now() > deadline) throw new Error(`operation ${title} did not finish within ${timeoutMs / 1000} s: ${JSON.stringify(record?.events.at(-1))}`);
			await new Promise(resolve => setTimeout(resolve, 200));
		}
	};

	let isStopped = false;
	/** What `runInteractive` does after the app exits: the UI goes, then operations, then sources. */
	const stop = async () => {
		if (isStopped) return;
		isStopped = true;
		recorder.poll();
		recorder.stop();
		ui.unmount();
		await runner.stop();
		await monitor.stop();
	};

	return {config, monitor, runner, ui, recorder, warnings, resize, press, finished, stop, frame: () => (recorder.poll(), recorder.frame())};
}
