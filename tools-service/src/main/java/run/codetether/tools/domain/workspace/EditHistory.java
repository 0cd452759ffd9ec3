package run.codetether.tools.domain.workspace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Per-session stack of applied changes (one entry per edit/multiedit/patch/write call), newest first, bounded so a
 * long session cannot hold unbounded memory; the oldest entries drop off. Thread-safe.
 */
public final class EditHistory {

    /** One applied call: its tool, a summary and the snapshots that undo it. */
    public record Entry(String tool, String summary, List<FileSnapshot> snapshots) {}

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public EditHistory(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void push(Entry entry) {
        entries.push(entry);
        while (entries.size() > capacity) {
            entries.removeLast();
        }
    }

    /** The newest {@code n} entries, newest first, without removing them. */
    public synchronized List<Entry> peek(int n) {
        return new ArrayList<>(entries).subList(0, Math.min(n, entries.size()));
    }

    public synchronized List<Entry> pop(int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n && !entries.isEmpty(); i++) {
            out.add(entries.pop());
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }
}
