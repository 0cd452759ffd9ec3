package run.codetether.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import run.codetether.contracts.a2a.Task;

/**
 * The ListTasks query over this replica's folded view: filters, newest-first order, opaque cursors and a page
 * that ends at a size cap. Read-only, apart from the write path in {@link TaskEngine}.
 */
public final class TaskListing {
    /** Default size cap of one ListTasks page (estimated, see {@link TaskSize}). */
    public static final long DEFAULT_MAX_PAGE_BYTES = 4L << 20;

    private final TaskView view;
    private final long maxPageBytes;
    private final ResponseLimits responses;

    /**
     * @param maxPageBytes a page ends before it grows past this (it holds at least one task)
     * @param responses what one listed task may carry (history, artifacts, size)
     */
    public TaskListing(TaskView view, long maxPageBytes, ResponseLimits responses) {
        this.view = view;
        this.maxPageBytes = maxPageBytes;
        this.responses = responses;
    }

    /**
     * ListTasks (spec 3.1.4): newest status first, cursor paging. The tasks are as a client sees them
     * ({@link ResponseLimits#shown}): history, artifacts and size within the response limits.
     */
    public TaskPage list(ListQuery q, Caller caller) {
        Comparator<Task> newestFirst = Comparator.comparing((Task t) -> t.status().timestamp())
                .thenComparing(Task::id).reversed();
        List<Task> matching = new ArrayList<>();
        for (Task t : view.all()) {
            if (!Tasks.visible(t, caller, q.tenant())
                    || (q.contextId() != null && !q.contextId().isEmpty() && !q.contextId().equals(t.contextId()))
                    || (q.status() != null && q.status() != t.status().state())
                    || (q.statusTimestampAfter() != null && !t.status().timestamp().isAfter(q.statusTimestampAfter()))) {
                continue;
            }
            matching.add(t);
        }
        matching.sort(newestFirst);
        int start = 0;
        if (q.pageToken() != null && !q.pageToken().isEmpty()) {
            Cursor c = Cursor.decode(q.pageToken());
            while (start < matching.size() && !c.isBefore(matching.get(start))) {
                start++;
            }
        }
        int limit = Math.min(matching.size(), start + q.pageSize());
        List<Task> page = new ArrayList<>(limit - start);
        long bytes = 0;
        int end = start;
        // the page also ends at a size cap, so no page of large tasks can take the gateway's heap (or the
        // client's): the next page token continues after the last task shown
        while (end < limit) {
            Task listed = q.includeArtifacts() ? matching.get(end) : matching.get(end).withArtifacts(List.of());
            Task shown = responses.shown(listed, q.historyLength()); // as the client sees it, each task cut to size
            bytes += TaskSize.of(shown);
            if (bytes > maxPageBytes && !page.isEmpty()) {
                break;
            }
            page.add(shown);
            end++;
        }
        String next = end < matching.size() ? Cursor.of(matching.get(end - 1)).encode() : "";
        // pageSize answers how many tasks this page holds (what SDKs check), at most the size asked for
        return new TaskPage(page, next, page.size(), matching.size());
    }

    /** Position in the newest-first order: the last task of a page. */
    private record Cursor(Instant timestamp, String id) {
        static Cursor of(Task t) {
            return new Cursor(t.status().timestamp(), t.id());
        }

        /** Whether {@code t} sorts after this cursor (belongs to a later page). */
        boolean isBefore(Task t) {
            int c = t.status().timestamp().compareTo(timestamp);
            return c < 0 || (c == 0 && t.id().compareTo(id) < 0);
        }

        String encode() {
            String raw = timestamp.getEpochSecond() + ":" + timestamp.getNano() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                String[] p = raw.split(":", 3);
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])), p[2]);
            } catch (RuntimeException e) {
                throw A2AException.invalidParams("pageToken is not a token this server issued");
            }
        }
    }
}
