package run.codetether.agent.domain.ralph;

/** Where a Ralph run ended (the original's names; the tool prints them as they are). */
public enum RalphStatus {
    Pending,
    Running,
    /** Every story passes. */
    Completed,
    /** The iteration budget ran out with stories still open. */
    MaxIterations,
    /** No open story can start (its dependencies never pass). */
    Stopped,
    QualityFailed
}
