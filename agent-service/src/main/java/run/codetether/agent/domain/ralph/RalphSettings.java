package run.codetether.agent.domain.ralph;

import java.time.Duration;

/**
 * Limits of Ralph.
 *
 * @param maxIterations iterations of one run when the call names none (the original's default: 10)
 * @param checkTimeout limit of one quality-check command (also capped by the agent's tool timeout and by
 *     tools-service's longest bash timeout)
 * @param progressChars how much of the end of progress.txt an iteration gets as memory
 */
public record RalphSettings(int maxIterations, Duration checkTimeout, int progressChars) {
    public static final String PRD_PATH = "prd.json";
    public static final String PROGRESS_FILE = "progress.txt";

    public RalphSettings {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("codetether.agent.ralph.max-iterations must be at least 1");
        }
        if (checkTimeout.isNegative() || checkTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("codetether.agent.ralph.check-timeout must be at least 1s");
        }
    }

    public static RalphSettings defaults() {
        return new RalphSettings(10, Duration.ofMinutes(5), 20_000);
    }

    public RalphSettings withMaxIterations(int n) {
        return new RalphSettings(n, checkTimeout, progressChars);
    }

    public RalphSettings withCheckTimeout(Duration d) {
        return new RalphSettings(maxIterations, d, progressChars);
    }
}
