/**
 * Imported first by the suite's UI tests: React's build is chosen when React loads, and the installed
 * `patroni-tui` (source/bin.ts) runs the production one. The development build also records a
 * performance.measure() per component render, which Node keeps for good: ~1.4 MB/s of heap at a 250 ms
 * refresh, the test's growth, not the product's.
 */
process.env['NODE_ENV'] ??= 'production';
