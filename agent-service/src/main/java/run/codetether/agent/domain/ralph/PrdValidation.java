package run.codetether.agent.domain.ralph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks the original's {@code prd validate} makes before Ralph runs: errors (missing project/feature, no
 * stories, empty or duplicate ids, empty titles, dependencies on unknown stories or on themselves, cycles) make a
 * PRD unusable; warnings (no description, no acceptance criteria, priority 0, complexity outside 1-5, no quality
 * checks, no branch name) do not.
 */
public record PrdValidation(List<String> errors, List<String> warnings) {

    public boolean valid() {
        return errors.isEmpty();
    }

    public static PrdValidation of(Prd prd) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (prd.project().isBlank()) {
            errors.add("Missing required field: project");
        }
        if (prd.feature().isBlank()) {
            errors.add("Missing required field: feature");
        }
        if (prd.userStories().isEmpty()) {
            errors.add("PRD must have at least one user story");
        }
        Set<String> ids = new HashSet<>();
        prd.userStories().forEach(s -> ids.add(s.id()));
        Set<String> seen = new HashSet<>();
        for (Prd.UserStory s : prd.userStories()) {
            if (!seen.add(s.id())) {
                errors.add("Duplicate story ID: " + s.id());
            }
            if (s.id().isBlank()) {
                errors.add("Story has empty ID");
            }
            if (s.title().isBlank()) {
                errors.add("Story " + s.id() + " has empty title");
            }
            if (s.description().isBlank()) {
                warnings.add("Story " + s.id() + " has empty description");
            }
            if (s.acceptanceCriteria().isEmpty()) {
                warnings.add("Story " + s.id() + " has no acceptance criteria");
            }
            if (s.priority() == 0) {
                warnings.add("Story " + s.id() + " has priority 0 (should be 1+)");
            }
            if (s.complexity() == 0 || s.complexity() > 5) {
                warnings.add("Story " + s.id() + " has complexity " + s.complexity() + " (should be 1-5)");
            }
            for (String dep : s.dependsOn()) {
                if (!ids.contains(dep)) {
                    errors.add("Story " + s.id() + " depends on non-existent story: " + dep);
                }
                if (dep.equals(s.id())) {
                    errors.add("Story " + s.id() + " depends on itself");
                }
            }
        }
        cycle(prd).ifPresent(c -> errors.add("Circular dependency detected: " + String.join(" → ", c)));
        if (prd.qualityChecks().ordered().isEmpty()) {
            warnings.add("No quality checks defined - ralph won't verify work");
        }
        if (prd.branchName().isBlank()) {
            warnings.add("No branch_name specified - will auto-generate from feature");
        }
        return new PrdValidation(List.copyOf(errors), List.copyOf(warnings));
    }

    /** The original's summary: an Errors and a Warnings section, or a line saying all checks passed. */
    public String summary() {
        List<String> lines = new ArrayList<>();
        if (!errors.isEmpty()) {
            lines.add("## Errors");
            errors.forEach(e -> lines.add("- ❌ " + e));
        }
        if (!warnings.isEmpty()) {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            lines.add("## Warnings");
            warnings.forEach(w -> lines.add("- ⚠️ " + w));
        }
        if (valid() && warnings.isEmpty()) {
            lines.add("✅ All checks passed");
        }
        return String.join("\n", lines);
    }

    /** A dependency cycle (self-dependencies are reported on their own), found by depth-first search. */
    private static Optional<List<String>> cycle(Prd prd) {
        Map<String, Prd.UserStory> byId = new HashMap<>();
        prd.userStories().forEach(s -> byId.putIfAbsent(s.id(), s));
        Set<String> visited = new HashSet<>();
        for (Prd.UserStory s : prd.userStories()) {
            Optional<List<String>> c = dfs(s.id(), byId, new HashSet<>(), visited, new ArrayList<>());
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> dfs(String id, Map<String, Prd.UserStory> byId, Set<String> visiting,
            Set<String> visited, List<String> path) {
        if (visiting.contains(id)) {
            List<String> c = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            c.add(id);
            return c.size() > 2 ? Optional.of(c) : Optional.empty();
        }
        if (visited.contains(id)) {
            return Optional.empty();
        }
        visiting.add(id);
        path.add(id);
        Prd.UserStory s = byId.get(id);
        if (s != null) {
            for (String dep : s.dependsOn()) {
                Optional<List<String>> c = dfs(dep, byId, visiting, visited, path);
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        path.remove(path.size() - 1);
        visiting.remove(id);
        visited.add(id);
        return Optional.empty();
    }
}
