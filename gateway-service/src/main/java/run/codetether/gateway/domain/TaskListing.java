package run.codetether.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Task;

/**
 * ListTasks (spec 3.1.4) over the task store: newest status first, cursor paging, filters on what the store keeps
 * beside each task ({@link TaskStore.Summary}), so a page reads only the tasks it shows, however many are stored.
 * The page ends at its size, or earlier at a byte cap (one page of 100 large tasks was 91 MB), and each task is as a
 * client sees it ({@link ResponseLimits#shown}).
 */
public final class TaskListing {
    /** Default size cap of one ListTasks page (estimated, see {@link TaskSize}). */
    public static final long DEFAULT_MAX_PAGE_BYTES = 4L << 20;

    private final TaskView view;
    private final long maxPageBytes;
    private final ResponseLimits responses;

    /** @param maxPageBytes a page ends before it grows past this (it holds at least one task) */
    public TaskListing(TaskView view, long maxPageBytes, ResponseLimits responses) {
        this.view = view;
        this.maxPageBytes = maxPageBytes;
        this.responses = responses;
    }

    public TaskPage list(ListQuery q, Caller caller) {
        Cursor from = q.pageToken() == null || q.pageToken().isEmpty() ? null : Cursor.decode(q.pageToken());
        List<Task> page = new ArrayList<>();
        TaskStore.Summary last = null;
        boolean more = false;
        long bytes = 0;
        Iterator<TaskStore.Summary> it = view.store().newestFirst(from == null ? null : from.timestamp(),
                from == null ? null : from.id());
        while (it.hasNext()) {
            TaskStore.Summary s = it.next();
            if (pastTimeFilter(q, s)) {
                break;
            }
            if (!matches(q, caller, s)) {
                continue;
            }
            if (page.size() >= q.pageSize()) {
                more = true;
                break;
            }
            Task task = view.get(s.id()).orElse(null);
            if (task == null) {
                continue; // removed since the summary was read
            }
            Task listed = q.includeArtifacts() ? task : task.withArtifacts(List.of());
            Task shown = responses.shown(listed, q.historyLength());
            bytes += TaskSize.of(shown);
            if (bytes > maxPageBytes && !page.isEmpty()) {
                // the next page token continues after the last task shown
                more = true;
                break;
            }
            page.add(shown);
            last = s;
        }
        String next = more && last != null ? new Cursor(last.timestamp(), last.id()).encode() : "";
        // pageSize answers how many tasks this page holds (what SDKs check), at most the size asked for
        return new TaskPage(page, next, page.size(), count(q, caller));
    }

    /**
     * How many stored tasks match the query (totalSize): the store's size or its counts per owner and tenant, or,
     * with a context, state or time filter, one pass over the summaries.
     */
    private int count(ListQuery q, Caller caller) {
        boolean unfiltered = caller.equals(Caller.ANONYMOUS) && (q.tenant() == null || q.tenant().isEmpty())
                && (q.contextId() == null || q.contextId().isEmpty()) && q.status() == null
                && q.statusTimestampAfter() == null;
        if (unfiltered) {
            return (int) Math.min(Integer.MAX_VALUE, view.store().size());
        }
        if ((q.contextId() == null || q.contextId().isEmpty()) && q.status() == null
                && q.statusTimestampAfter() == null) {
            // only who may see them: the counts per owner and tenant answer it
            long n = 0;
            for (Map.Entry<TaskStore.Scope, Long> c : view.store().countsByScope().entrySet()) {
                if (Tasks.visible(c.getKey().owner(), c.getKey().tenant(), caller, q.tenant())) {
                    n += c.getValue();
                }
            }
            return (int) Math.min(Integer.MAX_VALUE, n);
        }
        int n = 0;
        Iterator<TaskStore.Summary> it = view.store().newestFirst(null, null);
        while (it.hasNext()) {
            TaskStore.Summary s = it.next();
            if (pastTimeFilter(q, s)) {
                break;
            }
            if (matches(q, caller, s)) {
                n++;
            }
        }
        return n;
    }

    /** Newest first: once one status is not after the filter's time, none of the rest is. */
    private static boolean pastTimeFilter(ListQuery q, TaskStore.Summary s) {
        return q.statusTimestampAfter() != null && !s.timestamp().isAfter(q.statusTimestampAfter());
    }

    private static boolean matches(ListQuery q, Caller caller, TaskStore.Summary s) {
        return Tasks.visible(s.owner(), s.tenant(), caller, q.tenant())
                && (q.contextId() == null || q.contextId().isEmpty() || q.contextId().equals(s.contextId()))
                && (q.status() == null || q.status() == s.state());
    }

    /** Position in the newest-first order: the last task of a page. */
    record Cursor(Instant timestamp, String id) {
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
