package run.codetether.bench.support;

import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load: {@code concurrency} virtual-thread clients share {@code requests} numbered calls, each client
 * sending its next call when the previous one answered; every call's latency counts, a failed one too.
 */
public final class ClosedLoop {
    private ClosedLoop() {}

    /** One call; false or an exception counts it as failed. */
    @FunctionalInterface
    public interface Call {
        boolean run(int index) throws Exception;
    }

    /** What a run measured; latencies in milliseconds. */
    public record Run(int ok, int failed, double seconds, double p50Ms, double p99Ms) {
        public double perSecond() {
            return (ok + failed) / seconds;
        }
    }

    public static Run run(int requests, int concurrency, Call call) {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests) {
                        long t0 = System.nanoTime();
                        try {
                            if (!call.run(i)) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Run(requests - failed.get(), failed.get(), seconds, latencies[requests / 2] / 1e6,
                latencies[(int) (requests * 0.99)] / 1e6);
    }
}
