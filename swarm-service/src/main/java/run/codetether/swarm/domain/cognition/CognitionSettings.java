package run.codetether.swarm.domain.cognition;

/**
 * Limits of the persona runtime, named after the original's {@code CODETETHER_COGNITION_*} variables.
 *
 * @param loopIntervalMs pause between loop ticks; at least 100 ms as in the original
 * @param maxEvents thought events kept (oldest dropped first); at least 32
 * @param maxSnapshots memory snapshots kept (oldest dropped first); at least 8
 */
public record CognitionSettings(
        boolean enabled,
        long loopIntervalMs,
        int maxSpawnDepth,
        int maxBranchingFactor,
        int maxEvents,
        int maxSnapshots) {
    public CognitionSettings {
        loopIntervalMs = Math.max(100, loopIntervalMs);
        maxEvents = Math.max(32, maxEvents);
        maxSnapshots = Math.max(8, maxSnapshots);
        if (maxSpawnDepth < 0 || maxBranchingFactor < 0) {
            throw new IllegalArgumentException("spawn limits must not be negative");
        }
    }

    public static CognitionSettings defaults() {
        return new CognitionSettings(true, 2_000, 4, 4, 2_000, 128);
    }
}
