package run.codetether.gateway.domain.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ralph's run from its progress events ({@code tool: ralph}, {@code ralph_event}: started, story_started,
 * story_quality_check, story_error, story_complete, complete): per-story status and the quality checks of each
 * story's latest iteration.
 */
final class RalphFold {
    /** "Iteration 2/10: US-003 - Add the parser": the story title is only in the text. */
    private static final Pattern STARTED = Pattern.compile("^Iteration \\d+/\\d+: (\\S+) - (.*)$", Pattern.DOTALL);

    private RalphFold() {}

    static void progress(Draft d, Map<String, Object> meta, String text) {
        if (!(meta.get("ralph_event") instanceof String event)) {
            return;
        }
        TaskSummary.RalphProgress r = d.ralph == null
                ? new TaskSummary.RalphProgress("running", 0, 0, 0, 0, null, List.of()) : d.ralph;
        String status = r.status();
        int passed = SummaryFold.integer(meta.get("passed_count"), r.passed());
        int total = SummaryFold.integer(meta.get("total"), r.total());
        int iteration = SummaryFold.integer(meta.get("iteration"), r.iteration());
        int max = SummaryFold.integer(meta.get("max_iterations"), r.maxIterations());
        String prd = meta.get("prd_path") instanceof String p ? p : r.prdPath();
        List<TaskSummary.RalphStory> stories = new ArrayList<>(r.stories());
        String storyId = meta.get("story_id") instanceof String s ? s : null;
        switch (event) {
            case "started" -> {
                status = "running";
                passed = SummaryFold.integer(meta.get("passed"), passed);
            }
            case "complete" -> {
                status = meta.get("status") instanceof String st ? st : "complete";
                passed = SummaryFold.integer(meta.get("passed"), passed);
            }
            case "story_started" -> {
                Matcher m = STARTED.matcher(text.strip());
                String title = m.matches() ? m.group(2).strip() : storyId;
                update(stories, storyId, title, iteration, "running", true, null);
            }
            case "story_quality_check" -> update(stories, storyId, null, iteration, "checking", false,
                    meta.get("check_name") instanceof String c
                            ? new TaskSummary.Check(c, Boolean.TRUE.equals(meta.get("passed"))) : null);
            case "story_error" -> update(stories, storyId, null, iteration, "error", false, null);
            case "story_complete" -> update(stories, storyId, null, iteration,
                    Boolean.TRUE.equals(meta.get("passed")) ? "passed" : "open", false, null);
            default -> { } // git notes and events of later versions
        }
        d.ralph = new TaskSummary.RalphProgress(status, passed, total, iteration, max, prd, stories);
        if (d.kind.equals("agent") && "ralph".equals(d.skill)) {
            d.kind = "ralph";
        }
    }

    private static void update(List<TaskSummary.RalphStory> stories, String id, String title, int iteration,
            String status, boolean resetChecks, TaskSummary.Check check) {
        if (id == null) {
            return;
        }
        int index = -1;
        for (int i = 0; i < stories.size(); i++) {
            if (stories.get(i).id().equals(id)) {
                index = i;
            }
        }
        TaskSummary.RalphStory old = index >= 0 ? stories.get(index)
                : new TaskSummary.RalphStory(id, title == null ? id : title, iteration, status, List.of());
        List<TaskSummary.Check> checks = resetChecks ? new ArrayList<>() : new ArrayList<>(old.checks());
        if (check != null) {
            checks.removeIf(c -> c.name().equals(check.name()));
            checks.add(check);
        }
        TaskSummary.RalphStory next = new TaskSummary.RalphStory(id, title == null ? old.title() : title, iteration,
                status, checks);
        if (index >= 0) {
            stories.set(index, next);
        } else {
            stories.add(next);
        }
    }
}
