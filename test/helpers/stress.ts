/**
 * How many rounds a race test runs: a few in the edit-and-test loop, the full count under
 * `npm run test:stress` (JHUB_STRESS=1), which CI also runs when its time allows.
 */
export const stressRounds = (quick: number, full: number): number => (process.env['JHUB_STRESS'] ? full : quick);
