package run.codetether.gateway.domain.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.events.TaskEvent;

/**
 * One task's events in log order, as read back from the events topic for the dashboard's timeline. Streamed
 * partial updates (a growing answer, a running command's output) are collapsed to the last of each run, so a
 * long task's timeline stays readable and small.
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
            if (!entries.isEmpty() && partial(event) && sameStream(entries.get(entries.size() - 1).event(), event)) {
                entries.set(entries.size() - 1, new Entry(offset, event));
            } else {
                entries.add(new Entry(offset, event));
            }
            if (event instanceof TaskEvent.StatusChanged s && s.status().state().isTerminal()) {
                ended = true;
            }
        }

        /** The task reached a terminal state: nothing later belongs to it. */
        public boolean ended() {
            return ended;
        }

        public Timeline build(boolean truncated, long scanned) {
            return new Timeline(taskId, entries, truncated, scanned);
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
