package run.codetether.gateway.domain.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.events.TaskEvent;

/**
 * One task's events in log order, as read back from the events topic for the dashboard's timeline. Streamed
 * updates are collapsed: a running command's partial output to the last of each run, the chunks of a streamed answer
 * to one chunk with their text joined, so a long task's timeline stays readable and small.
 *
 * @param truncated the read stopped at its scan limit before the end of the task's events
 */
public record Timeline(String taskId, List<Entry> entries, boolean truncated, long scanned) {

    public record Entry(long offset, TaskEvent event) {}

    public Timeline {
        entries = List.copyOf(entries);
    }

    /** Collects a task's events, replacing a partial update by the next partial update of the same stream. */
    public static final class Builder {
        private final String taskId;
        private final List<Entry> entries = new ArrayList<>();
        private boolean ended;

        public Builder(String taskId) {
            this.taskId = taskId;
        }

        public void add(long offset, TaskEvent event) {
            if (event instanceof TaskEvent.StatusChanged s && s.finishes() != null) {
                // the answer's closing chunk rides on the final status (issue 18): its own entry, as when sent apart
                addOne(offset, s.closedArtifact().orElseThrow());
                addOne(offset, s.messageInArtifact() ? shown(s, entries.get(entries.size() - 1).event()) : s);
                return;
            }
            if (event instanceof TaskEvent.StatusChanged s && s.accepted() != null) {
                // the gateway's accept is one record (issue 18): the status and the user's message, an entry each
                s.acceptedApart().forEach(e -> addOne(offset, e));
                return;
            }
            addOne(offset, event);
        }

        private void addOne(long offset, TaskEvent event) {
            TaskEvent previous = entries.isEmpty() ? null : entries.get(entries.size() - 1).event();
            if (event instanceof TaskEvent.ArtifactAdded closing && closing.closes()) {
                entries.add(new Entry(offset, finished(streamedBefore(closing.artifact().artifactId()), closing)));
            } else if (event instanceof TaskEvent.ArtifactAdded chunk && chunk.streamed() && chunk.append()
                    && previous instanceof TaskEvent.ArtifactAdded before && before.streamed()
                    && before.artifact().artifactId().equals(chunk.artifact().artifactId())) {
                entries.set(entries.size() - 1, new Entry(offset, joined(before, chunk)));
            } else if (previous != null && partial(event) && sameStream(previous, event)) {
                entries.set(entries.size() - 1, new Entry(offset, event));
            } else {
                entries.add(new Entry(offset, event));
            }
            if (event instanceof TaskEvent.StatusChanged s && s.status().state().isTerminal()) {
                ended = true;
            }
        }

        /**
         * A final status whose message is the finished answer's text (issue 18) as the page shows it: with that
         * text, taken from the finished artifact's entry just added.
         */
        private static TaskEvent.StatusChanged shown(TaskEvent.StatusChanged s, TaskEvent finished) {
            String text = finished instanceof TaskEvent.ArtifactAdded a ? text(a.artifact()) : "";
            return new TaskEvent.StatusChanged(s.taskId(), s.contextId(), s.workerId(), s.shownStatus(text),
                    s.progress(), s.details(), s.submission(), s.at());
        }

        /** The task reached a terminal state: nothing later belongs to it. */
        public boolean ended() {
            return ended;
        }

        public Timeline build(boolean truncated, long scanned) {
            return new Timeline(taskId, entries, truncated, scanned);
        }

        /**
         * Two chunks of one streamed answer as one: the first chunk's place (offset, append) with the text of both,
         * the later chunk placed at its offset (a chunk seen twice does not repeat text).
         */
        private static TaskEvent.ArtifactAdded joined(TaskEvent.ArtifactAdded first, TaskEvent.ArtifactAdded next) {
            String head = text(first.artifact());
            long start = Math.max(0, first.textOffset());
            long at = next.textOffset() - start;
            String text = (at >= 0 && at <= head.length() ? head.substring(0, (int) at) : head)
                    + text(next.artifact());
            Artifact a = first.artifact();
            return new TaskEvent.ArtifactAdded(next.taskId(), next.contextId(), next.workerId(),
                    new Artifact(a.artifactId(), a.name(), a.description(), List.of(Part.Text.of(text)),
                            a.extensions(), a.metadata()), first.append(), next.lastChunk(), next.at());
        }

        /** The entry of the answer still streaming under {@code artifactId}, or null (none, or finished since). */
        private TaskEvent.ArtifactAdded streamedBefore(String artifactId) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).event() instanceof TaskEvent.ArtifactAdded a
                        && a.artifact().artifactId().equals(artifactId)) {
                    return a.streamed() ? a : null;
                }
            }
            return null;
        }

        /**
         * The finished answer from its closing chunk (issue 18: only the rest after what streamed): its own entry
         * with the whole text, as when the answer was sent whole. Without the streamed entry (the read started
         * after it) only the rest is known.
         */
        private static TaskEvent.ArtifactAdded finished(TaskEvent.ArtifactAdded streamed,
                TaskEvent.ArtifactAdded closing) {
            String text = text(closing.artifact());
            if (streamed != null) {
                String head = text(streamed.artifact());
                long at = closing.textOffset() - Math.max(0, streamed.textOffset());
                text = (at >= 0 && at <= head.length() ? head.substring(0, (int) at) : head) + text;
            }
            Artifact a = closing.artifact();
            return new TaskEvent.ArtifactAdded(closing.taskId(), closing.contextId(), closing.workerId(),
                    new Artifact(a.artifactId(), a.name(), a.description(), List.of(Part.Text.of(text)),
                            a.extensions(), null), false, true, closing.at());
        }

        private static String text(Artifact a) {
            StringBuilder s = new StringBuilder();
            a.parts().forEach(p -> s.append(p instanceof Part.Text t ? t.text() : ""));
            return s.toString();
        }

        private static boolean partial(TaskEvent e) {
            return e instanceof TaskEvent.StatusChanged s && Boolean.TRUE.equals(s.metadata().get(MetadataKeys.PARTIAL));
        }

        private static boolean sameStream(TaskEvent previous, TaskEvent next) {
            return partial(previous) && previous instanceof TaskEvent.StatusChanged p
                    && next instanceof TaskEvent.StatusChanged n
                    && Objects.equals(p.metadata().get(MetadataKeys.CALL_ID), n.metadata().get(MetadataKeys.CALL_ID))
                    && Objects.equals(p.metadata().get(MetadataKeys.TOOL), n.metadata().get(MetadataKeys.TOOL));
        }
    }
}
