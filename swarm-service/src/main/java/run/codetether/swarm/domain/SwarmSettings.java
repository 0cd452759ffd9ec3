package run.codetether.swarm.domain;

/**
 * @param defaultConcurrency subtasks running at once when a swarm asks for 0
 * @param maxSubtasks most subtasks a plan may have when a swarm asks for 0
 * @param retryBudget re-dispatches a swarm may spend on failed or rejected subtasks, all subtasks together
 */
public record SwarmSettings(int defaultConcurrency, int maxSubtasks, int retryBudget) {
    public SwarmSettings {
        if (defaultConcurrency < 1 || maxSubtasks < 1 || retryBudget < 0) {
            throw new IllegalArgumentException("swarm settings out of range");
        }
    }
}
