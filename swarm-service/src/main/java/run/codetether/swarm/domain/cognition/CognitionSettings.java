package run.codetether.swarm.domain.cognition;

/**
 * Limits of the persona runtime, named after the original's {@code CODETETHER_COGNITION_*} variables.
 *
 * @param loopIntervalMs pause between loop ticks; at least 100 ms as in the original
 * @param maxEvents thought events kept (oldest dropped first); at least 32
 * @param maxSnapshots memory snapshots kept (oldest dropped first); at least 8
 * @param maxProposals proposals kept, and carried by every published View (oldest dropped first, counted); at least
 *     1. Without a bound the list grew for the runtime's life and each View (one per tick) carried all of it
 *     (issue 18)
 */
public record CognitionSettings(
        boolean enabled,
        long loopIntervalMs,
        int maxSpawnDepth,
        int maxBranchingFactor,
        int maxEvents,
        int maxSnapshots,
        int maxProposals) {
    /** The default bound of {@link #maxProposals}. */
    public static final int DEFAULT_MAX_PROPOSALS = 32;

    public CognitionSettings {
        loopIntervalMs = Math.max(100, loopIntervalMs);
        maxEvents = Math.max(32, maxEvents);
        maxSnapshots = Math.max(8, maxSnapshots);
        maxProposals = Math.max(1, maxProposals);
        if (maxSpawnDepth < 0 || maxBranchingFactor < 0) {
            throw new IllegalArgumentException("spawn limits must not be negative");
        }
    }

    /** With the default bound of proposals. */
    public CognitionSettings(boolean enabled, long loopIntervalMs, int maxSpawnDepth, int maxBranchingFactor,
            int maxEvents, int maxSnapshots) {
        this(enabled, loopIntervalMs, maxSpawnDepth, maxBranchingFactor, maxEvents, maxSnapshots,
                DEFAULT_MAX_PROPOSALS);
    }

    public static CognitionSettings defaults() {
        return new CognitionSettings(true, 2_000, 4, 4, 2_000, 128, DEFAULT_MAX_PROPOSALS);
    }
}
