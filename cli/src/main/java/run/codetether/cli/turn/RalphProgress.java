package run.codetether.cli.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.codetether.contracts.a2a.MetadataKeys;

/** Ralph's stories as its status updates describe them ({@code ralph_event}, {@code story_id}, ... metadata). */
public final class RalphProgress {
    private static final Pattern ITERATION = Pattern.compile("Iteration \\d+/\\d+: (\\S+) - (.*)");

    /** One user story. */
    public static final class Story {
        public final String id;
        String title = "";
        String status = "pending";
        int iteration;
        final List<String> checks = new ArrayList<>();

        Story(String id) {
            this.id = id;
        }

        public String title() {
            return title;
        }

        public String status() {
            return status;
        }

        public int iteration() {
            return iteration;
        }

        public List<String> checks() {
            return checks;
        }
    }

    private final Map<String, Story> stories = new LinkedHashMap<>();
    String prdPath = "";
    String status = "";
    int passed;
    int total;
    int maxIterations;

    public List<Story> stories() {
        return List.copyOf(stories.values());
    }

    public boolean active() {
        return !status.isEmpty() || !stories.isEmpty();
    }

    public String status() {
        return status;
    }

    public int passed() {
        return passed;
    }

    public int total() {
        return Math.max(total, stories.size());
    }

    public String prdPath() {
        return prdPath;
    }

    void apply(JsonNode meta, String message) {
        String event = meta.path(MetadataKeys.RALPH_EVENT).asText("");
        prdPath = meta.path(MetadataKeys.PRD_PATH).asText(prdPath);
        maxIterations = meta.path(MetadataKeys.MAX_ITERATIONS).asInt(maxIterations);
        if (meta.has(MetadataKeys.PASSED_COUNT)) {
            passed = meta.path(MetadataKeys.PASSED_COUNT).asInt();
        } else if (meta.has(MetadataKeys.PASSED) && meta.get(MetadataKeys.PASSED).isInt()) {
            passed = meta.path(MetadataKeys.PASSED).asInt();
        }
        total = meta.path(MetadataKeys.TOTAL).asInt(total);
        String id = meta.path(MetadataKeys.STORY_ID).asText("");
        Story s = id.isEmpty() ? null : stories.computeIfAbsent(id, Story::new);
        switch (event) {
            case "started" -> status = "running";
            case "complete" -> status = meta.path(MetadataKeys.STATUS).asText("done").toLowerCase();
            case "story_started" -> {
                if (s != null) {
                    s.status = "running";
                    s.iteration = meta.path(MetadataKeys.ITERATION).asInt(s.iteration);
                    Matcher m = ITERATION.matcher(message == null ? "" : message);
                    if (m.find()) {
                        s.title = m.group(2);
                    }
                }
            }
            case "story_quality_check" -> {
                if (s != null) {
                    s.checks.add(meta.path(MetadataKeys.CHECK_NAME).asText("check") + (meta.path(MetadataKeys.PASSED).asBoolean() ? " ✓" : " ✗"));
                }
            }
            case "story_error" -> {
                if (s != null) {
                    s.status = "failed";
                }
            }
            case "story_complete" -> {
                if (s != null) {
                    boolean ok = meta.path(MetadataKeys.PASSED).isBoolean() ? meta.path(MetadataKeys.PASSED).asBoolean()
                            : message != null && message.contains(" passes");
                    s.status = ok ? "passed" : "open";
                }
            }
            default -> {
                // git notes and others: shown as progress lines only
            }
        }
    }
}
