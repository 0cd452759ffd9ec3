package run.codetether.swarm.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import run.codetether.contracts.events.Usage;

/**
 * Meters the model calls one piece of a swarm's own work makes (its plan, a model check of a result, the written
 * answer), so the coordinator can charge them to that swarm and to its tenant's day. The work runs on one thread
 * through {@link ChatPort}s that know nothing of swarms; the adapter that talks to the provider opens each call with
 * {@link #begin} (the measurement's {@link Gate} admits it, e.g. reserving its maximum cost against the tenant's
 * budget) and ends it with {@link Pending#answered} (its usage is added to the measurement open on that thread and
 * handed to the gate) or {@link Pending#close} (failed: the gate frees what it held). A call made outside a
 * measurement is not recorded anywhere (nothing asked for it).
 */
public final class CallMeter {
    private static final ThreadLocal<Open> OPEN = new ThreadLocal<>();

    private CallMeter() {}

    /** The measurement open on a thread: the calls answered so far and who admits the next one. */
    private record Open(List<Call> calls, Gate gate) {}

    /** One answered model call: the provider and model that answered it, and what it reported. */
    public record Call(String provider, String model, Usage usage) {}

    /** Admits each model call of a measurement before it is sent, and is told how it ended. */
    @FunctionalInterface
    public interface Gate {
        /** Admits every call and holds nothing. */
        Gate NONE = maxCostUsd -> Ticket.NONE;

        /**
         * Admits one call whose cost is at most {@code maxCostUsd} (0: unpriced, its cost is unknown).
         *
         * @throws RuntimeException the refusal: the call must not be sent
         */
        Ticket admit(double maxCostUsd);
    }

    /** One admitted call; exactly one of its methods is called, once. */
    public interface Ticket {
        /** Holds nothing. */
        Ticket NONE = new Ticket() {
            @Override
            public void answered(Call call) {}

            @Override
            public void released() {}
        };

        /** The call answered and reported this usage. */
        void answered(Call call);

        /** The call failed, or reported no usage: nothing is known to charge. */
        void released();
    }

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

    /** Runs {@code work} here under the gate of the measurement around it (none: every call admitted). */
    public static <T> Metered<T> measure(Supplier<T> work) {
        return measure(null, work);
    }

    /**
     * Runs {@code work} here, each of its model calls admitted by {@code gate} (null: the gate of the measurement
     * around this one, else {@link Gate#NONE}), collecting what they report; a failure is returned, not thrown.
     */
    public static <T> Metered<T> measure(Gate gate, Supplier<T> work) {
        Open outer = OPEN.get();
        Open mine = new Open(new ArrayList<>(), gate != null ? gate : outer != null ? outer.gate() : Gate.NONE);
        OPEN.set(mine);
        try {
            return new Metered<>(work.get(), null, mine.calls());
        } catch (RuntimeException e) {
            return new Metered<>(null, e, mine.calls());
        } finally {
            if (outer == null) {
                OPEN.remove();
            } else {
                outer.calls().addAll(mine.calls()); // a measurement inside another still counts for the outer one
                OPEN.set(outer);
            }
        }
    }

    /**
     * Opens one model call of the measurement open on this thread, before it is sent: its gate admits it (a refusal
     * is thrown and nothing may be sent). Outside a measurement every call is admitted and nothing is recorded.
     *
     * @param maxCostUsd an upper bound of the call's cost (0 when the model is unpriced)
     */
    public static Pending begin(double maxCostUsd) {
        Open open = OPEN.get();
        return new Pending(open, open == null ? Ticket.NONE : open.gate().admit(maxCostUsd));
    }

    /** A call admitted by {@link #begin}: ended once, by {@link #answered} or by {@link #close}. */
    public static final class Pending implements AutoCloseable {
        private final Open open;
        private final Ticket ticket;
        private boolean ended;

        private Pending(Open open, Ticket ticket) {
            this.open = open;
            this.ticket = ticket;
        }

        /** The call answered, with the provider and model that answered and their usage (null: none reported). */
        public void answered(String provider, String model, Usage usage) {
            if (ended) {
                return;
            }
            ended = true;
            if (open == null || usage == null) {
                ticket.released();
                return;
            }
            Call call = new Call(provider, model, usage);
            open.calls().add(call);
            ticket.answered(call);
        }

        /** Ends a call that did not answer (it failed or was interrupted): its gate frees what it held. */
        @Override
        public void close() {
            if (!ended) {
                ended = true;
                ticket.released();
            }
        }
    }

    /** One model call's usage, as the provider reported it (provider and model unknown); admitted at no cost. */
    public static void record(Usage usage) {
        record(null, null, usage);
    }

    /** One model call's usage, with the provider and model that answered; admitted at no cost. */
    public static void record(String provider, String model, Usage usage) {
        begin(0).answered(provider, model, usage);
    }

    /** Null-tolerant sum: null is "nothing reported", not $0. */
    public static Usage sum(Usage a, Usage b) {
        return a == null ? b : a.plus(b);
    }
}
