package run.codetether.gateway.domain.handler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

/**
 * The streamed text of each task's artifacts, for a reader that relays events without folding them into tasks (the
 * push deliveries): a completed task's final status is sent without its message's text, which is the finished
 * answer artifact's (issue 18), and an A2A client is shown the status with that text put back. Keeps the chunks of
 * at most {@code maxTasks} tasks and {@code maxChars} characters (the least recently streamed goes first: a task that
 * never ends is no leak) and drops a task's text at its final status. Not thread-safe: one reader thread calls it, in log order.
 */
public final class AnswerTexts {
    /**
     * A status as an A2A client sees it.
     *
     * @param complete false when the answer streamed partly before this reader saw it (it started reading later, or
     *     the task's text was evicted): the message then holds only the text seen here
     */
    public record Shown(TaskStatus status, boolean complete) {}

    /** One artifact's text so far, from {@code start} (more than 0: the chunks before the first one seen here). */
    private static final class Text {
        final StringBuilder text = new StringBuilder();
        long start;
    }

    private final Map<String, Map<String, Text>> byTask;
    private final long maxChars;
    /** Characters kept over all tasks. */
    private long chars;

    public AnswerTexts(int maxTasks) {
        this(maxTasks, Long.MAX_VALUE);
    }

    /**
     * @param maxChars most characters kept over all tasks: the least recently streamed tasks go first past it (a
     *     task dropped here is completed from the folded task, or shown partly)
     */
    public AnswerTexts(int maxTasks, long maxChars) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("keep the text of at least one task: " + maxTasks);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("keep at least one character: " + maxChars);
        }
        this.maxChars = maxChars;
        this.byTask = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Text>> eldest) {
                if (size() > maxTasks) {
                    chars -= charsOf(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    private static long charsOf(Map<String, Text> texts) {
        long n = 0;
        for (Text t : texts.values()) {
            n += t.text.length();
        }
        return n;
    }

    private void drop(String taskId) {
        Map<String, Text> gone = byTask.remove(taskId);
        if (gone != null) {
            chars -= charsOf(gone);
        }
    }

    /** Drops the least recently streamed tasks' text while more than {@code maxChars} is kept (never the newest). */
    private void bound(String newest) {
        var it = byTask.entrySet().iterator();
        while (chars > maxChars && it.hasNext()) {
            var e = it.next();
            if (e.getKey().equals(newest)) {
                continue;
            }
            chars -= charsOf(e.getValue());
            it.remove();
        }
    }

    /**
     * Takes the event in, in log order: a streamed chunk's text is kept at its offset; a final status drops its
     * task's text.
     *
     * @return for a status, the status as an A2A client sees it (its message's text put back when it is the finished
     *     artifact's, {@link TaskEvent.StatusChanged#messageInArtifact}); null for any other event
     */
    public Shown apply(TaskEvent event) {
        switch (event) {
            case TaskEvent.ArtifactAdded a when a.streamed() -> {
                Map<String, Text> texts = byTask.computeIfAbsent(a.taskId(), k -> new HashMap<>(2));
                Text t = a.append() ? texts.get(a.artifact().artifactId()) : null;
                if (t == null) {
                    t = new Text();
                    // it continues text this reader never saw: held from where it starts
                    t.start = a.append() ? Math.max(1, a.textOffset()) : 0;
                    texts.put(a.artifact().artifactId(), t);
                }
                int before = t.text.length();
                place(t, a);
                chars += t.text.length() - before;
                bound(a.taskId());
                return null;
            }
            case TaskEvent.StatusChanged s -> {
                Shown shown = shown(s);
                if (s.isFinal()) {
                    drop(s.taskId());
                }
                return shown;
            }
            default -> {
                return null;
            }
        }
    }

    /** How many tasks' streamed text is kept. */
    public int size() {
        return byTask.size();
    }

    /** How many characters of streamed text are kept over all tasks. */
    public long chars() {
        return chars;
    }

    private Shown shown(TaskEvent.StatusChanged s) {
        if (!s.messageInArtifact()) {
            return new Shown(s.status(), true);
        }
        if (s.wholeFinishedText().isPresent()) {
            return new Shown(s.shownStatus(s.wholeFinishedText().get()), true);
        }
        long offset = s.finishes().offset();
        Map<String, Text> texts = byTask.get(s.taskId());
        Text t = texts == null ? null : texts.get(s.finishes().artifactId());
        boolean complete = t != null && t.start == 0 && t.text.length() >= offset;
        String before = t == null ? ""
                : t.text.substring(0, (int) Math.max(0, Math.min(offset - t.start, t.text.length())));
        return new Shown(s.shownStatus(before + s.finishes().rest()), complete);
    }

    private static void place(Text t, TaskEvent.ArtifactAdded chunk) {
        long at = chunk.textOffset() - t.start;
        if (chunk.textOffset() >= 0 && at >= 0 && at <= t.text.length()) {
            t.text.setLength((int) at); // a chunk seen twice adds nothing twice
        }
        for (Part p : chunk.artifact().parts()) {
            if (p instanceof Part.Text text) {
                t.text.append(text.text());
            }
        }
    }
}
