package run.codetether.tools.domain.exec;

/**
 * How a command ended. {@code exitCode} is the shell convention (128+signal when killed). {@code timedOut} means
 * the wall-clock limit killed the whole process tree; {@code truncated} that output beyond the cap was dropped.
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated,
        long totalOutputBytes) {}
