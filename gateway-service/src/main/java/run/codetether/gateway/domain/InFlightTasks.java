package run.codetether.gateway.domain;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;

/**
 * Admission control from in-flight work: how many tasks each client (and all clients together) has SUBMITTED or
 * WORKING in this replica's view, and the refusal of a new message once a cap is reached. The per-client cap is the
 * gateway's fairness mechanism: one client's flood fills its own cap and the global one keeps room for the others
 * as long as {@code maxPerClient < maxTotal}.
 *
 * <p>Counts follow the folded view ({@link #observe}, called by {@link TaskView} on every change, also while
 * restoring), so every replica counts the same tasks; admitted sends that the view has not folded yet are held as
 * reservations so that a burst of concurrent sends cannot overshoot the cap. A reservation and the folded task may
 * overlap for an instant: the count errs on the side of refusing.
 */
public final class InFlightTasks {
    /** The owner key of tasks sent without credentials (an open gateway). */
    static final String ANONYMOUS = "\u0000anonymous";

    private final int maxTotal;
    private final int maxPerClient;
    private final long retryAfterSeconds;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong refusedForClient = new AtomicLong();
    private final AtomicLong refusedAtCapacity = new AtomicLong();

    /**
     * @param maxTotal most in-flight tasks over all clients (0: no cap)
     * @param maxPerClient most in-flight tasks of one client (0: no cap)
     * @param retryAfterSeconds the retry hint of a refusal
     */
    public InFlightTasks(int maxTotal, int maxPerClient, long retryAfterSeconds) {
        if (maxTotal < 0 || maxPerClient < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("in-flight limits must not be negative: max-in-flight " + maxTotal
                    + ", max-in-flight-per-client " + maxPerClient + ", retry-after " + retryAfterSeconds);
        }
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** No caps: counts only. */
    public static InFlightTasks unlimited() {
        return new InFlightTasks(0, 0, 1);
    }

    /** Whether a task in this state holds a slot: a worker is asked for it or runs it. */
    static boolean holdsSlot(TaskState state) {
        return state == TaskState.SUBMITTED || state == TaskState.WORKING;
    }

    /** A task changed in the view ({@code after} null: it was removed). */
    public void observe(Task before, Task after) {
        Task known = after != null ? after : before;
        if (known == null) {
            return;
        }
        boolean holds = after != null && holdsSlot(after.status().state());
        String owner = owner(after != null && after.submission() != null ? after : before);
        if (holds && active.add(known.id())) {
            counter(owner).incrementAndGet();
            total.incrementAndGet();
        } else if (!holds && active.remove(known.id())) {
            counter(owner).decrementAndGet();
            total.decrementAndGet();
        }
    }

    /**
     * Reserves a slot for a message of {@code clientId} (null: anonymous), or refuses it.
     *
     * @return the reservation, to close once the view holds the task (or the send failed)
     * @throws A2AException TOO_MANY_TASKS with a retry hint
     */
    public Reservation admit(String clientId) {
        String owner = clientId == null ? ANONYMOUS : clientId;
        AtomicInteger mine = counter(owner);
        if (mine.incrementAndGet() > maxPerClient && maxPerClient > 0) {
            mine.decrementAndGet();
            refusedForClient.incrementAndGet();
            throw A2AException.retryable(A2AError.TOO_MANY_TASKS, "Too many tasks in flight for this client: at most "
                    + maxPerClient + " may be submitted or working at once; retry after " + retryAfterSeconds
                    + " s or once one ends", retryAfterSeconds);
        }
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            mine.decrementAndGet();
            refusedAtCapacity.incrementAndGet();
            throw A2AException.retryable(A2AError.TOO_MANY_TASKS, "The platform is at capacity (" + maxTotal
                    + " tasks in flight); retry after " + retryAfterSeconds + " s", retryAfterSeconds);
        }
        return new Reservation(mine);
    }

    /** Messages refused since start because their client was at its cap (the metrics read it). */
    public long refusedForClient() {
        return refusedForClient.get();
    }

    /** Messages refused since start because the platform was at its global cap. */
    public long refusedAtCapacity() {
        return refusedAtCapacity.get();
    }

    /** In-flight tasks of a client as counted now (reservations included). */
    public int of(String clientId) {
        AtomicInteger n = perClient.get(clientId == null ? ANONYMOUS : clientId);
        return n == null ? 0 : n.get();
    }

    /** In-flight tasks over all clients as counted now (reservations included). */
    public int total() {
        return total.get();
    }

    private AtomicInteger counter(String owner) {
        return perClient.computeIfAbsent(owner, k -> new AtomicInteger());
    }

    private static String owner(Task task) {
        if (task == null || task.submission() == null || task.submission().owner() == null) {
            return ANONYMOUS;
        }
        return task.submission().owner();
    }

    /** A slot held for a message until the view counts its task; closing twice is harmless. */
    public final class Reservation implements AutoCloseable {
        private final AtomicInteger owner;
        private boolean closed;

        private Reservation(AtomicInteger owner) {
            this.owner = owner;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                owner.decrementAndGet();
                total.decrementAndGet();
            }
        }
    }
}
