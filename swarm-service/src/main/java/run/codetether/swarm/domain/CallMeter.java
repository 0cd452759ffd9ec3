package run.codetether.swarm.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import run.codetether.contracts.events.Usage;

/**
 * Meters the model calls one piece of a swarm's own work makes (its plan, a model check of a result, the written
 * answer), so the coordinator can charge them to that swarm and to its tenant's day. The work runs on one thread
 * through {@link ChatPort}s that know nothing of swarms; the adapter that talks to the provider reports each call's
 * usage with {@link #record}, which adds it to the measurement open on that thread. A call made outside a
 * measurement is not recorded anywhere (nothing asked for it).
 */
public final class CallMeter {
    private static final ThreadLocal<List<Call>> OPEN = new ThreadLocal<>();

    private CallMeter() {}

    /** One answered model call: the provider and model that answered it, and what it reported. */
    public record Call(String provider, String model, Usage usage) {}

    /**
     * @param value what the work returned, or null when it threw
     * @param failure what it threw, or null
     * @param calls each call that reported usage, in order (the tenant's day is charged per provider and model)
     */
    public record Metered<T>(T value, RuntimeException failure, List<Call> calls) {
        public Metered {
            calls = calls == null ? List.of() : List.copyOf(calls);
        }

        /** The sum of the calls' usage, or null when no call reported any. */
        public Usage usage() {
            Usage sum = null;
            for (Call c : calls) {
                sum = CallMeter.sum(sum, c.usage());
            }
            return sum;
        }
    }

    /** Runs {@code work} here, collecting what its model calls report; a failure is returned, not thrown. */
    public static <T> Metered<T> measure(Supplier<T> work) {
        List<Call> outer = OPEN.get();
        List<Call> mine = new ArrayList<>();
        OPEN.set(mine);
        try {
            return new Metered<>(work.get(), null, mine);
        } catch (RuntimeException e) {
            return new Metered<>(null, e, mine);
        } finally {
            if (outer == null) {
                OPEN.remove();
            } else {
                outer.addAll(mine); // a measurement inside another still counts for the outer one
                OPEN.set(outer);
            }
        }
    }

    /** One model call's usage, as the provider reported it (provider and model unknown). */
    public static void record(Usage usage) {
        record(null, null, usage);
    }

    /** One model call's usage, as the provider reported it, with the provider and model that answered. */
    public static void record(String provider, String model, Usage usage) {
        List<Call> open = OPEN.get();
        if (open != null && usage != null) {
            open.add(new Call(provider, model, usage));
        }
    }

    /** Null-tolerant sum: null is "nothing reported", not $0. */
    public static Usage sum(Usage a, Usage b) {
        return a == null ? b : a.plus(b);
    }
}
