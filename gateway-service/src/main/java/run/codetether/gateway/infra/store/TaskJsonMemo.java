package run.codetether.gateway.infra.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.gateway.domain.StoredTask;

/**
 * A folded task's JSON, encoded once for its two writers: the store's checkpoint ({@link MvTaskStore}) and the
 * {@code tasks.state} writer both encode the newest version of every task they are handed, and both are handed the
 * same instance by the fold (each keeps only the newest per task, the store until its checkpoint, the writer for its
 * hold). Whichever encodes a version first leaves its JSON here; the other takes it (and it is gone), so each
 * version is encoded once instead of twice (issue 20: the checkpoint's encoding, a share of the reader's cost per
 * accepted task). Keyed by task id and matched by identity, so a later version or another replica's equal task is
 * never given an older one's bytes.
 *
 * <p>Bounded: a version that only one writer takes (an intermediate one the other skipped, a task restored at start
 * that only the store writes) waits here until its task's next version replaces it; once the waiting JSON would pass
 * its bound, all of it is dropped (those versions, if still wanted, are encoded again, as before). A task larger than
 * a sixteenth of the bound is never kept.
 */
public final class TaskJsonMemo {
    /** The one memo of the process: the store and the state writer share it. */
    public static final TaskJsonMemo SHARED = new TaskJsonMemo(8L << 20);

    private record Encoded(Task task, byte[] json) {}

    private final ConcurrentHashMap<String, Encoded> waiting = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    /** Most bytes of JSON kept waiting for the other writer. */
    private final long maxBytes;

    TaskJsonMemo(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * {@code task} in its stored shape ({@link StoredTask#encode}, {@link ContractJson} JSON): taken from the other
     * writer's encoding when it made it.
     */
    public byte[] json(Task task) {
        Encoded e = waiting.get(task.id());
        if (e != null && e.task() == task && waiting.remove(task.id(), e)) {
            bytes.addAndGet(-e.json().length);
            return e.json();
        }
        byte[] json = StoredTask.encode(task);
        if (json.length > maxBytes / 16) {
            return json; // a large task is not held for the other writer
        }
        if (bytes.get() + json.length > maxBytes) {
            // what waits here now is mostly versions the other writer will never take (tasks restored at start go
            // to the store only): dropped, and the memo starts over
            waiting.clear();
            bytes.set(0);
        }
        Encoded older = waiting.put(task.id(), new Encoded(task, json));
        bytes.addAndGet(json.length - (older == null ? 0 : older.json().length));
        return json;
    }

    /** Bytes of JSON waiting for the other writer (tests). */
    long waitingBytes() {
        return bytes.get();
    }
}
