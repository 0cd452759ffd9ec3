package run.codetether.gateway.domain;

import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;

/**
 * About how many bytes a task's encoding takes: what its parts carry (texts, files as sent, data as text) plus a
 * fixed overhead per message, artifact and task (the status message included); metadata is not counted. An
 * estimate, cheap enough to take for every task of a page: a ListTasks page stops growing at a size cap with it (one
 * 100-task page was 91 MB), and {@link ResponseLimits} cuts one task to a size cap with it.
 */
public final class TaskSize {
    static final int OVERHEAD = 256;
    /** Fixed overhead counted per part, on top of its content. */
    static final int PART_OVERHEAD = 32;

    private TaskSize() {}

    public static long of(Task task) {
        long n = OVERHEAD;
        for (Message m : task.history()) {
            n += OVERHEAD;
            for (Part p : m.parts()) {
                n += of(p);
            }
        }
        for (Artifact a : task.artifacts()) {
            n += OVERHEAD;
            for (Part p : a.parts()) {
                n += of(p);
            }
        }
        if (task.status().message() != null) {
            n += OVERHEAD;
            for (Part p : task.status().message().parts()) {
                n += of(p);
            }
        }
        return n;
    }

    static long of(Part part) {
        return switch (part) {
            case Part.Text t -> t.text().length();
            case Part.File f -> f.bytesBase64() != null ? f.bytesBase64().length() : f.uri().length();
            case Part.Data d -> String.valueOf(d.data()).length();
        } + PART_OVERHEAD;
    }
}
