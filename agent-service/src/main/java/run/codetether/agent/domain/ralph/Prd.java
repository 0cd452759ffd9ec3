package run.codetether.agent.domain.ralph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A PRD as Ralph reads it, with the original's fields ({@code prd.json}: project, feature, branch_name, version,
 * user_stories, technical_requirements, quality_checks, created_at, updated_at). The file itself is changed through
 * {@link PrdFile}, which keeps fields this record does not know.
 */
public record Prd(
        String project,
        String feature,
        String branchName,
        String version,
        List<UserStory> userStories,
        List<String> technicalRequirements,
        QualityChecks qualityChecks,
        String createdAt,
        String updatedAt) {

    public Prd {
        userStories = List.copyOf(userStories);
        technicalRequirements = List.copyOf(technicalRequirements);
    }

    /**
     * One user story; {@code priority} 1 is the highest, {@code complexity} 1-5 (defaults 1 and 3 as the original).
     * {@code dependsOn} is the file's {@code depends_on} (alias {@code dependencies}).
     */
    public record UserStory(String id, String title, String description, List<String> acceptanceCriteria,
            boolean passes, int priority, List<String> dependsOn, int complexity) {
        public UserStory {
            acceptanceCriteria = List.copyOf(acceptanceCriteria);
            dependsOn = List.copyOf(dependsOn);
        }

        UserStory passed() {
            return new UserStory(id, title, description, acceptanceCriteria, true, priority, dependsOn, complexity);
        }
    }

    /** Shell commands that must all exit 0 before a story counts as passing; each may be absent. */
    public record QualityChecks(String typecheck, String test, String lint, String build) {
        public static final QualityChecks NONE = new QualityChecks(null, null, null, null);

        /** The checks in the original's order (typecheck, lint, test, build), absent ones left out. */
        public List<Map.Entry<String, String>> ordered() {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            add(out, "typecheck", typecheck);
            add(out, "lint", lint);
            add(out, "test", test);
            add(out, "build", build);
            return out;
        }

        private static void add(List<Map.Entry<String, String>> out, String name, String cmd) {
            if (cmd != null && !cmd.isBlank()) {
                out.add(Map.entry(name, cmd));
            }
        }
    }

    /** The story to work on next: not passing, every dependency passing, lowest (priority, complexity) first. */
    public Optional<UserStory> nextStory() {
        return readyStories().stream()
                .min((a, b) -> a.priority() != b.priority() ? Integer.compare(a.priority(), b.priority())
                        : Integer.compare(a.complexity(), b.complexity()));
    }

    public List<UserStory> readyStories() {
        Map<String, UserStory> byId = userStories.stream()
                .collect(Collectors.toMap(UserStory::id, Function.identity(), (a, b) -> a));
        // a dependency that names no story counts as met, as in the original (validation reports it as an error)
        return userStories.stream().filter(s -> !s.passes())
                .filter(s -> s.dependsOn().stream().allMatch(d -> !byId.containsKey(d) || byId.get(d).passes()))
                .toList();
    }

    public long passedCount() {
        return userStories.stream().filter(UserStory::passes).count();
    }

    public boolean isComplete() {
        return userStories.stream().allMatch(UserStory::passes);
    }

    public Prd markPassed(String storyId) {
        List<UserStory> stories = userStories.stream().map(s -> s.id().equals(storyId) ? s.passed() : s).toList();
        return new Prd(project, feature, branchName, version, stories, technicalRequirements, qualityChecks, createdAt,
                updatedAt);
    }

    /** Dependency stages: each stage's stories only depend on stories of earlier stages (or on passing ones). */
    public List<List<UserStory>> stages() {
        List<List<UserStory>> stages = new ArrayList<>();
        Set<String> done = userStories.stream().filter(UserStory::passes).map(UserStory::id)
                .collect(Collectors.toCollection(HashSet::new));
        List<UserStory> remaining = userStories.stream().filter(s -> !s.passes()).toList();
        while (!remaining.isEmpty()) {
            List<UserStory> ready = remaining.stream().filter(s -> done.containsAll(s.dependsOn())).toList();
            if (ready.isEmpty()) {
                stages.add(remaining); // a cycle or a missing story: the rest as one last stage, as the original
                break;
            }
            ready.forEach(s -> done.add(s.id()));
            stages.add(ready);
            remaining = remaining.stream().filter(s -> !ready.contains(s)).toList();
        }
        return stages;
    }

    /** The story list as the original prints it: {@code - [x] US-001: title}. */
    public String storyChecklist() {
        return userStories.stream().map(s -> "- [" + (s.passes() ? "x" : " ") + "] " + s.id() + ": " + s.title())
                .collect(Collectors.joining("\n"));
    }
}
