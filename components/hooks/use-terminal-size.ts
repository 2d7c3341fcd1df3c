import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {readonly columns: number; readonly rows: number};

/** The terminal's size, following resizes; 80x24 when the output is not a terminal. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => readSize(stdout));
	useEffect(() => {
		const read = () => readSize(stdout);
		const onResize = () =>
			setSize(previous => {
				const next = read();
				return previous.columns === next.columns && previous.rows === next.rows ? previous : next;
			});
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}
