package run.codetether.swarm.domain;

import java.util.function.Supplier;
import run.codetether.contracts.events.Usage;

/**
 * Meters the model calls one piece of a swarm's own work makes (its plan, a model check of a result, the written
 * answer), so the coordinator can charge them to that swarm. The work runs on one thread through
 * {@link ChatPort}s that know nothing of swarms; the adapter that talks to the provider reports each call's usage
 * with {@link #record}, which adds it to the measurement open on that thread. A call made outside a measurement is
 * not recorded anywhere (nothing asked for it).
 */
public final class CallMeter {
    private static final ThreadLocal<Usage[]> OPEN = new ThreadLocal<>();

    private CallMeter() {}

    /**
     * @param value what the work returned, or null when it threw
     * @param failure what it threw, or null
     * @param usage the sum of its calls' usage, or null when no call reported any
     */
    public record Metered<T>(T value, RuntimeException failure, Usage usage) {}

    /** Runs {@code work} here, collecting what its model calls report; a failure is returned, not thrown. */
    public static <T> Metered<T> measure(Supplier<T> work) {
        Usage[] outer = OPEN.get();
        Usage[] mine = new Usage[1];
        OPEN.set(mine);
        try {
            return new Metered<>(work.get(), null, mine[0]);
        } catch (RuntimeException e) {
            return new Metered<>(null, e, mine[0]);
        } finally {
            if (outer == null) {
                OPEN.remove();
            } else {
                outer[0] = sum(outer[0], mine[0]); // a measurement inside another still counts for the outer one
                OPEN.set(outer);
            }
        }
    }

    /** One model call's usage, as the provider reported it. */
    public static void record(Usage usage) {
        Usage[] open = OPEN.get();
        if (open != null && usage != null) {
            open[0] = sum(open[0], usage);
        }
    }

    /** Null-tolerant sum: null is "nothing reported", not $0. */
    public static Usage sum(Usage a, Usage b) {
        return a == null ? b : a.plus(b);
    }
}
