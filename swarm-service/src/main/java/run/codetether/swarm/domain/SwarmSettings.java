package run.codetether.swarm.domain;

/**
 * @param defaultConcurrency subtasks running at once when a swarm asks for 0
 * @param maxSubtasks most subtasks a plan may have when a swarm asks for 0
 * @param retryBudget re-dispatches a swarm may spend on failed or rejected subtasks, all subtasks together
 * @param maxQueuedWrites writes waiting to be sent past which the thread that brought the input waits for them to go
 *     out before it takes the next input ({@link SendQueue})
 */
public record SwarmSettings(int defaultConcurrency, int maxSubtasks, int retryBudget, int maxQueuedWrites) {
    /** The default of {@code codetether.swarm.max-queued-writes}. */
    public static final int DEFAULT_MAX_QUEUED_WRITES = 256;

    public SwarmSettings {
        atLeast("codetether.swarm.default-concurrency", defaultConcurrency, 1);
        atLeast("codetether.swarm.max-subtasks", maxSubtasks, 1);
        atLeast("codetether.swarm.retry-budget", retryBudget, 0);
        atLeast("codetether.swarm.max-queued-writes", maxQueuedWrites, 1);
    }

    private static void atLeast(String key, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(key + " must be >= " + least + ", not " + value);
        }
    }

    public SwarmSettings(int defaultConcurrency, int maxSubtasks, int retryBudget) {
        this(defaultConcurrency, maxSubtasks, retryBudget, DEFAULT_MAX_QUEUED_WRITES);
    }
}
