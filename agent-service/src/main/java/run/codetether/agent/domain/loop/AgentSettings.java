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
 */
public record AgentSettings(
        String workerId,
        int maxSteps,
        Duration wallClock,
        Duration toolTimeout,
        double compactAt,
        int keepRecent,
        Duration partialEvery,
        Path skillsDir) {

    public static AgentSettings defaults(String workerId) {
        return new AgentSettings(workerId, 50, Duration.ofMinutes(30), Duration.ofMinutes(5), 0.8, 8,
                Duration.ofMillis(250), Path.of(System.getProperty("user.home"), ".codetether", "skills"));
    }

    public AgentSettings withMaxSteps(int n) {
        return new AgentSettings(workerId, n, wallClock, toolTimeout, compactAt, keepRecent, partialEvery, skillsDir);
    }

    public AgentSettings withWallClock(Duration d) {
        return new AgentSettings(workerId, maxSteps, d, toolTimeout, compactAt, keepRecent, partialEvery, skillsDir);
    }

    public AgentSettings withSkillsDir(Path p) {
        return new AgentSettings(workerId, maxSteps, wallClock, toolTimeout, compactAt, keepRecent, partialEvery, p);
    }
}
