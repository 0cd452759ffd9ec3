package run.codetether.agent.infra.tools;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Repeats one tools-service call that tools-service's death cut off (status UNAVAILABLE, a CANCELLED this side did
 * not ask for, a stream that ended without its result): the same request, so under the same call id, with backoff
 * ({@link ToolRetry}) until tools-service answers or {@link ToolRetry#retryFor()} has passed. The same call id is what
 * makes the repeat safe: tools-service answers a finished call from its result store and a call it was running when
 * it died with INTERRUPTED (its start marker). Used by Execute ({@link GrpcToolExecutor}) and CallMcpTool
 * ({@link GrpcMcpTools}) alike.
 */
final class SameCallRetry {
    private static final Logger LOG = Logger.getLogger(SameCallRetry.class);

    /** tools-service went away in the middle of an attempt: the same request may be sent again. */
    static final class Cut extends Exception {
        Cut(String message) {
            super(message, null, false, false);
        }
    }

    /** One attempt of a call. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws Cut, InterruptedException;
    }

    private final ManagedChannel channel;
    private final String target;
    private final ToolRetry retry;

    SameCallRetry(ManagedChannel channel, String target, ToolRetry retry) {
        this.channel = channel;
        this.target = target;
        this.retry = retry;
    }

    /**
     * Runs attempts until one answers.
     *
     * @param describe what the log says of an answer that came after a repeat ("" or ": INTERRUPTED ...")
     * @param gaveUp the outcome when tools-service did not answer within the retry time, given the sentence why
     */
    <T> T run(String callId, String tool, Attempt<T> attempt, Function<T, String> describe,
            Function<String, T> gaveUp) throws InterruptedException {
        long deadline = System.nanoTime() + retry.retryFor().toNanos();
        Duration backoff = retry.backoff();
        int attempts = 1;
        while (true) {
            try {
                T answer = attempt.run();
                if (attempts > 1) {
                    LOG.infof("tools-service at %s answered call %s (%s) on attempt %d%s", target, callId, tool,
                            attempts, describe.apply(answer));
                }
                return answer;
            } catch (Cut cut) {
                if (System.nanoTime() + backoff.toNanos() > deadline) {
                    LOG.warnf("tools-service at %s did not answer call %s (%s) within %s: %s; reported as interrupted",
                            target, callId, tool, retry.retryFor(), cut.getMessage());
                    return gaveUp.apply("tools-service at " + target + " went away while this call ran ("
                            + cut.getMessage() + ") and did not answer it again within " + retry.retryFor().toSeconds()
                            + " s (codetether.agent.tools.retry-for); whether it ran, partly or fully, is unknown:"
                            + " check before repeating it");
                }
                LOG.infof("tools-service at %s cut off call %s (%s): %s; repeating it under the same call id in %d ms",
                        target, callId, tool, cut.getMessage(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                // the channel's own reconnect backoff grows to minutes; a repeat should find a restarted service now
                channel.resetConnectBackoff();
                backoff = retry.next(backoff);
                attempts++;
            }
        }
    }

    /** What the log says of an answer that came after a repeat. */
    static String answered(boolean interrupted, boolean replayed) {
        return interrupted ? ": INTERRUPTED (it was running when tools-service died; not run again)"
                : replayed ? " from its result store" : "";
    }

    /**
     * Throws {@link Cut} for UNAVAILABLE (tools-service down, restarting, its connection cut) and for a CANCELLED
     * this side did not cause (the server went away under the call: a shutdown, a reset stream); returns for any
     * other status, which is the call's answer.
     */
    static void throwIfCut(StatusRuntimeException e) throws Cut {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.CANCELLED && !Thread.currentThread().isInterrupted()) {
            throw new Cut(code + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
        }
    }
}
