/** Swarm wire records: jobs on {@code swarm.requested} and coordinator state on {@code swarm.state}. */
package run.codetether.contracts.swarm;
