/** Order statistics over a handful of samples: nearest-rank, so a p95 of 30 samples is a sample that happened. */
export type Summary = {readonly count: number; readonly median: number; readonly p95: number; readonly min: number; readonly max: number};

export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
	return {
		count: samples.length,
		median: percentile(samples, 50),
		p95: percentile(samples, 95),
		min: samples.length ? Math.min(...samples) : Number.NaN,
		max: samples.length ? Math.max(...samples) : Number.NaN,
	};
}

export function ms(value: number | undefined): string {
	if (value === undefined || Number.isNaN(value)) return '–';
	if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
	if (value >= 100) return `${Math.round(value)} ms`;
	return `${value.toFixed(1)} ms`;
}

export function medianP95(summary: Summary | undefined): string {
	return summary && summary.count > 0 ? `${ms(summary.median)} / ${ms(summary.p95)}` : '–';
}

export const sleep = (milliseconds: number) => new Promise<void>(resolve => setTimeout(resolve, milliseconds));

/** A pause of random length, so changes do not fall into step with a poller's period. */
export const jitter = (min: number, max: number) => sleep(min + Math.random() * (max - min));
