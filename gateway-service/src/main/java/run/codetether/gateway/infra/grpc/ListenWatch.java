package run.codetether.gateway.infra.grpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Whether a server of this process listens on its port, judged by connecting to it (what a client does), and what
 * happens when it does not for longer than {@code timeout}: {@code onStuck} gets a message that says why (the
 * gateway exits with it). Counted from {@link #start()} until the server first listens, then from the first probe
 * that found it gone. Plain Java over a real socket; the Quarkus wiring is {@link GrpcServerWatch}.
 */
public final class ListenWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ListenWatch.class);
    private static final int CONNECT_TIMEOUT_MS = 1_000;

    /** What the last probe found. */
    public sealed interface State {
        /** Not listening since {@code sinceNanos} (System.nanoTime); {@code why} the last probe's answer. */
        record NotListening(long sinceNanos, String why) implements State {}

        record Listening(InetSocketAddress at) implements State {}

        /** Not listening for longer than the timeout: {@code onStuck} ran. */
        record Stuck(String message) implements State {}
    }

    private final String what;
    private final Supplier<Optional<InetSocketAddress>> address;
    private final Duration timeout;
    private final Duration interval;
    private final Consumer<String> onStuck;
    private final ScheduledExecutorService timer;
    private volatile State state;

    /**
     * @param what the server's name in messages ("gRPC server")
     * @param address where it should listen; empty while no port is known yet (a test's port 0 before binding)
     */
    public ListenWatch(String what, Supplier<Optional<InetSocketAddress>> address, Duration timeout, Duration interval,
            Consumer<String> onStuck) {
        if (timeout.isNegative() || timeout.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the " + what + " watch needs a positive timeout and interval, not "
                    + timeout + " and " + interval);
        }
        this.what = what;
        this.address = address;
        this.timeout = timeout;
        this.interval = interval;
        this.onStuck = onStuck;
        this.state = new State.NotListening(System.nanoTime(), "not probed yet");
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("listen-watch").factory());
    }

    /** Probes now and then every interval, until stuck or closed. */
    public ListenWatch start() {
        state = new State.NotListening(System.nanoTime(), "not probed yet");
        timer.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public State state() {
        return state;
    }

    public boolean listening() {
        return state instanceof State.Listening;
    }

    private void probe() {
        State before = state;
        if (before instanceof State.Stuck) {
            return;
        }
        try {
            Optional<InetSocketAddress> at = address.get();
            String why = at.isEmpty() ? "no port bound yet" : connect(at.get());
            if (why == null) {
                if (!(before instanceof State.Listening)) {
                    LOG.debugf("%s listens on %s", what, at.get());
                }
                state = new State.Listening(at.get());
                return;
            }
            long since = before instanceof State.NotListening n ? n.sinceNanos() : System.nanoTime();
            if (before instanceof State.Listening l) {
                LOG.errorf("the %s stopped listening on %s (%s): readiness DOWN; the gateway exits if it does not "
                        + "listen again within %s", what, l.at(), why, timeout);
            }
            if (System.nanoTime() - since < timeout.toNanos()) {
                state = new State.NotListening(since, why);
                return;
            }
            String message = String.format("the %s has not listened on %s for %s (last probe: %s); exiting so "
                    + "that it is started again (Kubernetes restarts the pod, ./codetether up the local gateway)",
                    what, at.map(Object::toString).orElse("its port"), timeout, why);
            state = new State.Stuck(message);
            timer.shutdown();
            onStuck.accept(message);
        } catch (RuntimeException e) {
            // a probe that throws must not end the schedule (a dead watch would never exit a stuck gateway)
            LOG.warnf("probing the %s failed: %s", what, e.toString());
        }
    }

    /**
     * Null when a connection was accepted by a socket of this process, else why not. A connect alone cannot tell
     * whose server answered: a port taken by another program that listens there answered it, and a gateway whose own
     * server failed to bind ("Port already bound") counted as listening, never exited (issue 19).
     */
    private String connect(InetSocketAddress at) {
        try (Socket s = new Socket()) {
            s.connect(at, CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return ListenerOwner.ofPort(at.getPort()) == ListenerOwner.OTHER
                ? "port " + at.getPort() + " is listened on by another process, not by this one's " + what
                : null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
