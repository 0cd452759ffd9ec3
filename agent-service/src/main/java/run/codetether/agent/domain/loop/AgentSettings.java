package run.codetether.agent.domain.loop;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Limits and knobs of the loop.
 *
 * @param maxSteps model calls per task before it fails
 * @param wallClock budget of one run of a task (a resumed run starts a fresh budget)
 * @param toolTimeout per tool call
 * @param compactAt fraction of the context window at which older turns are summarised
 * @param keepRecent messages kept verbatim after a compaction
 * @param partialEvery minimum gap between two streamed partial-text status updates
 * @param skillsDir where {@code skill} finds SKILL.md files (the original's ~/.codetether/skills)
 * @param firstChunkHold how long a model turn's first answer text waits before it goes out as a chunk (zero: at
 *     once); an answer finished within it is sent only by the final status ({@link AnswerStream})
 */
public record AgentSettings(
        String workerId,
        int maxSteps,
        Duration wallClock,
        Duration toolTimeout,
        double compactAt,
        int keepRecent,
        Duration partialEvery,
        Path skillsDir,
        Duration firstChunkHold) {

    /** The default of {@code codetether.agent.first-chunk-hold}. */
    public static final Duration FIRST_CHUNK_HOLD = Duration.ofMillis(25);

    public AgentSettings {
        if (firstChunkHold.isNegative()) {
            throw new IllegalArgumentException("first-chunk-hold must not be negative: " + firstChunkHold);
        }
    }

    /** Settings with the default first-chunk hold. */
    public AgentSettings(String workerId, int maxSteps, Duration wallClock, Duration toolTimeout, double compactAt,
            int keepRecent, Duration partialEvery, Path skillsDir) {
        this(workerId, maxSteps, wallClock, toolTimeout, compactAt, keepRecent, partialEvery, skillsDir,
                FIRST_CHUNK_HOLD);
    }

    public static AgentSettings defaults(String workerId) {
        return new AgentSettings(workerId, 50, Duration.ofMinutes(30), Duration.ofMinutes(5), 0.8, 8,
                Duration.ofMillis(250), Path.of(System.getProperty("user.home"), ".codetether", "skills"));
    }

    public AgentSettings withMaxSteps(int n) {
        return new AgentSettings(workerId, n, wallClock, toolTimeout, compactAt, keepRecent, partialEvery, skillsDir,
                firstChunkHold);
    }

    public AgentSettings withWallClock(Duration d) {
        return new AgentSettings(workerId, maxSteps, d, toolTimeout, compactAt, keepRecent, partialEvery, skillsDir,
                firstChunkHold);
    }

    public AgentSettings withSkillsDir(Path p) {
        return new AgentSettings(workerId, maxSteps, wallClock, toolTimeout, compactAt, keepRecent, partialEvery, p,
                firstChunkHold);
    }

    public AgentSettings withFirstChunkHold(Duration d) {
        return new AgentSettings(workerId, maxSteps, wallClock, toolTimeout, compactAt, keepRecent, partialEvery,
                skillsDir, d);
    }
}
