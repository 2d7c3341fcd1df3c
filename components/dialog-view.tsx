/** The open dialog, drawn where the status bar was: its context, the question, and the keys that answer it. */
import {Box} from 'ink';
import {confirmPrompt, visibleOptions, type Dialog} from '../source/dialog.js';
import {oneLine} from '../source/model/format.js';
import {Line, Span} from './line.js';
import {toneColor} from './palette.js';

export type DialogViewProps = {readonly dialog: Dialog; readonly width: number; readonly height: number};

/** The keys that answer it; a confirmation's default is No, so Enter is listed with the keys that cancel. */
function hints(dialog: Dialog): string {
	switch (dialog.kind) {
		case 'confirm':
			return `${dialog.answers.map(answer => `${answer.key} ${answer.label}`).join(' · ')} · N / Enter / Esc cancel`;
		case 'typed':
			return `type the name · Enter confirm${dialog.option ? ' · Tab write probe on/off' : ''} · Esc cancel`;
		case 'choose':
			return '↑↓ choose · Enter select · Esc cancel';
		case 'input':
			return 'type · Enter submit · Esc cancel';
	}
}

/** Lines the dialog wants (border, title, context, body, error, hints); the layout caps it. */
export function dialogHeight(dialog: Dialog): number {
	const body = dialog.kind === 'choose' ? Math.min(8, Math.max(1, visibleOptions(dialog).length)) + (dialog.isSearchable ? 1 : 0) : dialog.kind === 'typed' && dialog.option ? 2 : 1;
	return 2 + 1 + dialog.lines.length + body + (dialog.error ? 1 : 0) + 1;
}

function Body({dialog, rows}: {readonly dialog: Dialog; readonly rows: number}) {
	switch (dialog.kind) {
		case 'confirm':
			return <Line isBold>{`Go ahead? ${confirmPrompt(dialog.answers)}`}</Line>;
		case 'typed':
			return (
				<>
					{dialog.option ? <Line tone={dialog.option.isOn ? undefined : 'muted'}>{dialog.option.isOn ? dialog.option.on : dialog.option.off}</Line> : null}
					<Line>{`Type ${dialog.expected} to confirm: `}<Span isBold>{dialog.text}</Span>▏</Line>
				</>
			);
		case 'input':
			return <Line>{`${dialog.prompt} `}<Span isBold>{dialog.text}</Span>▏</Line>;
		case 'choose': {
			const options = visibleOptions(dialog);
			const start = Math.max(0, Math.min(dialog.index - Math.floor(rows / 2), options.length - rows));
			return (
				<>
					{dialog.isSearchable ? <Line>{'search: '}<Span isBold>{dialog.query}</Span>▏</Line> : null}
					{options.length === 0 ? <Line tone="muted">nothing matches</Line> : null}
					{options.slice(start, start + rows).map((option, offset) => (
						<Line key={option.value} isInverse={start + offset === dialog.index} tone={option.isEnabled ? undefined : 'muted'}>
							{`${start + offset === dialog.index ? '›' : ' '} ${option.label}`}
							{option.detail ? <Span tone="muted">{`  ${oneLine(option.detail)}`}</Span> : null}
						</Line>
					))}
				</>
			);
		}
	}
}

export function DialogView({dialog, width, height}: DialogViewProps) {
	if (height < 3) {
		return (
			<Line tone="warn" isBold>
				{`${dialog.title} ${dialog.kind === 'confirm' ? `${confirmPrompt(dialog.answers)} ` : ''}— ${dialog.error ?? hints(dialog)}`}
			</Line>
		);
	}
	const inner = Math.max(1, height - 2);
	const fixed = 1 + (dialog.error ? 1 : 0) + 1;
	const optionRows = dialog.kind === 'typed' && dialog.option ? 1 : 0;
	const contextRows = Math.max(0, Math.min(dialog.lines.length, inner - fixed - 1 - optionRows));
	const bodyRows = Math.max(1, inner - fixed - contextRows - (dialog.kind === 'choose' && dialog.isSearchable ? 1 : 0) - optionRows);
	return (
		<Box flexDirection="column" borderStyle="double" borderColor={toneColor('warn')} width={width} height={height} flexShrink={0} overflow="hidden">
			<Line isBold tone="warn">{dialog.title}</Line>
			{dialog.lines.slice(0, contextRows).map((line, index) => (
				// The indentation stays: a context line may be a line of YAML (a parameter edit's diff).
				<Line key={index}>{`${/^ */.exec(line)![0]}${oneLine(line)}`}</Line>
			))}
			<Body dialog={dialog} rows={bodyRows} />
			{dialog.error ? <Line tone="bad">{oneLine(dialog.error)}</Line> : null}
			<Line tone="muted">{hints(dialog)}</Line>
		</Box>
	);
}
