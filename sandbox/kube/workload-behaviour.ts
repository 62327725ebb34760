/** How the simulated cluster's workloads behave, as the site's settings ask: how long Jobs run, and which workloads fail. */
export interface WorkloadBehaviour {
  jobMs: number;
  notReady: string[];
  failingJobs: string[];
}
