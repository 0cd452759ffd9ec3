package run.codetether.gateway.domain.worker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.contracts.worker.WorkerCallRequest;
import run.codetether.contracts.worker.WorkerRegistration;

/**
 * Which workers are connected, platform-wide (every replica's registrations, as read back from the registry topic)
 * and on this replica (the streams it holds). Worker and codebase ids are derived from the owner and the names, so
 * a restarted worker gets its ids back and a task naming a codebase id keeps working across restarts. Thread-safe.
 */
public final class WorkerDirectory {

    /** A worker stream held by this replica. */
    public interface Link {
        /** Hands a call to the worker; false when the stream has already gone. */
        boolean deliver(WorkerCallRequest call);
    }

    private final String replica;
    private final Map<String, WorkerRegistration> all = new ConcurrentHashMap<>();
    private final Map<String, Link> local = new ConcurrentHashMap<>();
    private volatile String reading;

    public WorkerDirectory(String replica) {
        this.replica = replica;
    }

    public String replica() {
        return replica;
    }

    public static String workerId(String owner, String name) {
        return "wk-" + hash(owner + "\n" + name);
    }

    public static String codebaseId(String owner, String codebase) {
        return "cb-" + hash(owner + "\n" + codebase);
    }

    /**
     * Why this worker may not register, or empty: another worker of the same owner already serves a codebase of
     * the same name (a task naming it would be ambiguous). A restart of the same worker (same name) replaces it.
     */
    public Optional<String> conflict(String owner, String workerName, List<String> codebases) {
        String self = workerId(owner, workerName);
        for (WorkerRegistration r : all.values()) {
            if (!r.owner().equals(owner) || r.workerId().equals(self)) {
                continue;
            }
            for (String c : codebases) {
                if (r.codebase(c).isPresent()) {
                    return Optional.of("the codebase name '" + c + "' is already served by worker '" + r.name()
                            + "' (give it another name with name=path, or stop that worker)");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The registry's reader is starting: {@code why} says what it does, until {@link #read}. Meanwhile the lists,
     * the conflict check and a codebase lookup may miss other replicas' workers ({@link #notReadYet}).
     */
    public void reading(String why) {
        reading = why;
    }

    /** What the registry topic held has been read. */
    public void read() {
        reading = null;
    }

    /** Why other replicas' workers may be missing yet, or empty once the registry has been read. */
    public Optional<String> notReadYet() {
        return Optional.ofNullable(reading);
    }

    /** The registration of a stream this replica now holds (also applied at once, before the topic echoes it). */
    public void attach(WorkerRegistration r, Link link) {
        local.put(r.workerId(), link);
        all.put(r.workerId(), r);
    }

    /** The stream ended; only when it is still the current link (a reconnect may already have replaced it). */
    public boolean detach(String workerId, Link link) {
        return local.remove(workerId, link);
    }

    /** A registry record (null registration: the worker is gone). */
    public void apply(String workerId, WorkerRegistration r) {
        if (r == null) {
            if (!local.containsKey(workerId)) {
                all.remove(workerId);
            }
        } else {
            all.put(workerId, r); // the newest registration wins (a worker that moved to another replica)
        }
    }

    /** Delivers a call when this replica holds the worker's stream; false: not here (another replica's). */
    public boolean deliverLocal(WorkerCallRequest call) {
        Link l = local.get(call.workerId());
        return l != null && l.deliver(call);
    }

    public boolean holds(String workerId) {
        return local.containsKey(workerId);
    }

    /** The owner's workers, oldest connection first. */
    public List<WorkerRegistration> workers(String owner) {
        return all.values().stream().filter(r -> owner == null || r.owner().equals(owner))
                .sorted(Comparator.comparing(WorkerRegistration::connectedSince)
                        .thenComparing(WorkerRegistration::name)).toList();
    }

    /** The worker serving the owner's codebase of this name or id. */
    public Optional<WorkerRegistration> byCodebase(String owner, String nameOrId) {
        return all.values().stream().filter(r -> r.owner().equals(owner) && r.codebase(nameOrId).isPresent())
                .findFirst();
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
