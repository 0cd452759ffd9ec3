package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskStatus;

/**
 * What one task in a response may carry (GetTask, SendMessage, CancelTask, ListTasks, the first item of a stream):
 * the newest {@code maxHistory} messages, the newest {@code maxArtifacts} artifacts, and at most about
 * {@code maxTaskBytes} in all ({@link TaskSize}'s estimate). A task stored whole is never sent whole when it is
 * larger: a 90 MB page of tasks once took the gateway's heap (issue 19).
 *
 * <p>Nothing is dropped silently. Left-out messages and artifacts are counted, and every part that had to be cut
 * keeps its head and ends with a readable marker; the task's metadata {@code truncated} says what was cut
 * ({@link MetadataKeys#HISTORY_OMITTED}, {@link MetadataKeys#ARTIFACTS_OMITTED}, {@link MetadataKeys#PARTS_CUT}).
 * A client that asked for fewer messages ({@code historyLength}) gets exactly that, without a marker.
 *
 * <p>How parts are cut: the largest parts are cut first, all to one common size, the largest that fits ("water
 * filling"), so a task with one huge output and many small ones keeps the small ones whole. Text keeps its head;
 * a file or data part too large for that size becomes a text part that says what it was.
 *
 * @param maxHistory most history messages in a response (a larger historyLength is capped to it)
 * @param maxArtifacts most artifacts in a response (the newest are kept)
 * @param maxTaskBytes about how many bytes one task's encoding may take
 */
public record ResponseLimits(int maxHistory, int maxArtifacts, long maxTaskBytes) {
    /** Defaults of {@code codetether.gateway.limits.*}. */
    public static final ResponseLimits DEFAULTS = new ResponseLimits(100, 100, 2L << 20);

    /** Room a cut part needs for its marker text and metadata, on top of the head it keeps. */
    static final int MARKER_RESERVE = 256;

    public ResponseLimits {
        if (maxHistory < 0 || maxArtifacts < 0) {
            throw new IllegalArgumentException("response limits must not be negative");
        }
        if (maxTaskBytes < 4L * TaskSize.OVERHEAD) {
            throw new IllegalArgumentException("max-task-bytes must be at least " + 4 * TaskSize.OVERHEAD);
        }
    }

    /**
     * The task as a client sees it: the gateway's own metadata removed, the history cut to the last
     * {@code historyLength} messages (null: all) within {@link #maxHistory}, and the whole within the size cap.
     */
    public Task shown(Task task, Integer historyLength) {
        Task t = Tasks.forClient(task, null);
        int want = historyLength == null ? maxHistory : Math.min(historyLength, maxHistory);
        List<Message> history = tail(t.history(), want);
        // what the client asked to leave out is not "omitted": only what the cap took is marked
        int asked = historyLength == null ? t.history().size() : Math.min(historyLength, t.history().size());
        int historyOmitted = asked - history.size();
        List<Artifact> artifacts = tail(t.artifacts(), maxArtifacts);
        int artifactsOmitted = t.artifacts().size() - artifacts.size();
        t = t.withHistory(history).withArtifacts(artifacts);
        int cut = 0;
        if (TaskSize.of(t) > maxTaskBytes) {
            // the messages' and artifacts' own overhead must fit before any part can: the oldest go first
            while (fixed(t) + minimalParts(t) > maxTaskBytes && !t.history().isEmpty()) {
                t = t.withHistory(t.history().subList(1, t.history().size()));
                historyOmitted++;
            }
            while (fixed(t) + minimalParts(t) > maxTaskBytes && t.artifacts().size() > 1) {
                t = t.withArtifacts(t.artifacts().subList(1, t.artifacts().size()));
                artifactsOmitted++;
            }
            long cap = partCap(t, maxTaskBytes - fixed(t));
            int[] count = new int[1];
            t = cutParts(t, cap, count);
            cut = count[0];
        }
        if (historyOmitted == 0 && artifactsOmitted == 0 && cut == 0) {
            return t;
        }
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put(MetadataKeys.HISTORY_OMITTED, historyOmitted);
        marker.put(MetadataKeys.ARTIFACTS_OMITTED, artifactsOmitted);
        marker.put(MetadataKeys.PARTS_CUT, cut);
        marker.put(MetadataKeys.MAX_TASK_BYTES, maxTaskBytes);
        Map<String, Object> metadata = new HashMap<>(t.metadata());
        metadata.put(MetadataKeys.TRUNCATED, marker);
        return t.withMetadata(metadata);
    }

    /** One part of a stream item within about {@link #maxTaskBytes}, cut with a marker when larger. */
    public Part capped(Part part) {
        long room = maxTaskBytes - 2L * TaskSize.OVERHEAD;
        return contentSize(part) > room ? cut(part, room) : part;
    }

    private static <T> List<T> tail(List<T> items, int n) {
        return items.size() <= n ? items : items.subList(items.size() - n, items.size());
    }

    /** The estimated size of everything but the parts' content. */
    private static long fixed(Task t) {
        long n = TaskSize.of(t);
        for (Part p : parts(t)) {
            n -= contentSize(p);
        }
        return n;
    }

    /** What the parts take at the least: each large one cut to its marker. */
    private static long minimalParts(Task t) {
        long n = 0;
        for (Part p : parts(t)) {
            n += Math.min(contentSize(p), MARKER_RESERVE);
        }
        return n;
    }

    /** The largest common size that large parts are cut to so that all parts fit in {@code budget}. */
    static long partCap(Task t, long budget) {
        List<Part> parts = parts(t);
        long lo = MARKER_RESERVE;
        long hi = MARKER_RESERVE;
        for (Part p : parts) {
            hi = Math.max(hi, contentSize(p));
        }
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (filled(parts, mid) <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static long filled(List<Part> parts, long cap) {
        long n = 0;
        for (Part p : parts) {
            n += Math.min(contentSize(p), cap);
        }
        return n;
    }

    private static List<Part> parts(Task t) {
        List<Part> out = new ArrayList<>();
        t.history().forEach(m -> out.addAll(m.parts()));
        t.artifacts().forEach(a -> out.addAll(a.parts()));
        if (t.status().message() != null) {
            out.addAll(t.status().message().parts());
        }
        return out;
    }

    private static Task cutParts(Task t, long cap, int[] count) {
        List<Message> history = new ArrayList<>(t.history().size());
        for (Message m : t.history()) {
            history.add(cut(m, cap, count));
        }
        List<Artifact> artifacts = new ArrayList<>(t.artifacts().size());
        for (Artifact a : t.artifacts()) {
            List<Part> parts = cut(a.parts(), cap, count);
            artifacts.add(parts == a.parts() ? a
                    : new Artifact(a.artifactId(), a.name(), a.description(), parts, a.extensions(), a.metadata()));
        }
        TaskStatus status = t.status();
        if (status.message() != null) {
            status = new TaskStatus(status.state(), cut(status.message(), cap, count), status.timestamp());
        }
        return t.withHistory(history).withArtifacts(artifacts).withStatus(status);
    }

    private static Message cut(Message m, long cap, int[] count) {
        List<Part> parts = cut(m.parts(), cap, count);
        return parts == m.parts() ? m : new Message(m.messageId(), m.role(), parts, m.contextId(), m.taskId(),
                m.referenceTaskIds(), m.extensions(), m.metadata());
    }

    private static List<Part> cut(List<Part> parts, long cap, int[] count) {
        List<Part> out = null;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (contentSize(p) > cap) {
                if (out == null) {
                    out = new ArrayList<>(parts);
                }
                out.set(i, cut(p, cap));
                count[0]++;
            }
        }
        return out == null ? parts : out;
    }

    /** The part cut to about {@code cap} characters, marker included. */
    static Part cut(Part part, long cap) {
        long original = contentSize(part);
        int keep = (int) Math.max(0, Math.min(Integer.MAX_VALUE, cap - MARKER_RESERVE));
        Map<String, Object> info = new LinkedHashMap<>();
        if (part instanceof Part.Text text) {
            if (keep > 0 && Character.isHighSurrogate(text.text().charAt(keep - 1))) {
                keep--; // never split a surrogate pair
            }
            info.put(MetadataKeys.ORIGINAL_CHARS, original);
            info.put(MetadataKeys.SHOWN_CHARS, keep);
            return new Part.Text(text.text().substring(0, keep) + "\n[... cut by the gateway: " + keep + " of "
                    + original + " characters shown; the whole task is larger than one response may be]",
                    text.mediaType(), withTruncated(text.metadata(), info));
        }
        String kind = part instanceof Part.File ? "file" : "data";
        info.put(MetadataKeys.PART_KIND, kind);
        info.put(MetadataKeys.ORIGINAL_CHARS, original);
        info.put(MetadataKeys.SHOWN_CHARS, 0);
        String name = part instanceof Part.File f && f.name() != null ? " '" + f.name() + "'" : "";
        return new Part.Text("[a " + kind + " part" + name + " of " + original + " characters was left out by the "
                + "gateway: the whole task is larger than one response may be]", null,
                withTruncated(part.metadata(), info));
    }

    private static Map<String, Object> withTruncated(Map<String, Object> metadata, Map<String, Object> info) {
        Map<String, Object> out = new HashMap<>(metadata);
        out.put(MetadataKeys.TRUNCATED, info);
        return out;
    }

    /** A part's content size in characters (what {@link TaskSize} counts, less its fixed overhead). */
    static long contentSize(Part part) {
        return TaskSize.of(part) - TaskSize.PART_OVERHEAD;
    }
}
