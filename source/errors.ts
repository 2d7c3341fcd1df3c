/** One line for any thrown value: the first of an AggregateError's errors (Promise.any, a connect to many), else the message. */
export function errorMessage(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
	if (error instanceof Error) return error.message || error.name;
	return String(error);
}
