/** Runs a product operation to its end in a test, keeping every event: the test then checks the outcome from outside. */
import assert from 'node:assert/strict';
import {OperationRefused, type Operation, type OperationEvent} from '../../source/operations/operation.js';

export type Finished = {readonly events: readonly OperationEvent[]; readonly isOk: boolean; readonly summary: string};

export async function finish(operation: Operation): Promise<Finished> {
	const events: OperationEvent[] = [];
	for await (const event of operation.run(new AbortController().signal)) events.push(event);
	const last = events.at(-1);
	assert.equal(last?.kind, 'done', `"${operation.title}" ended with a done event`);
	return {events, isOk: last.kind === 'done' && last.isOk, summary: last.kind === 'done' ? last.summary : ''};
}

/** The refusal's text; fails the test if the operation acted (any event) or was not refused. */
export async function refusal(operation: Operation): Promise<string> {
	try {
		for await (const event of operation.run(new AbortController().signal)) assert.fail(`"${operation.title}" acted: ${JSON.stringify(event)}`);
	} catch (error) {
		if (error instanceof OperationRefused) return error.message;
		throw error;
	}
	return assert.fail(`"${operation.title}" was not refused`);
}
