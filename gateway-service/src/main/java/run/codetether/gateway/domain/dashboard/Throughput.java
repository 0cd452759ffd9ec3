package run.codetether.gateway.domain.dashboard;

import java.util.function.LongSupplier;

/** Counts events per second over a sliding window of one-second buckets. Guarded by the caller's lock. */
final class Throughput {
    private final long[] counts;
    private final long[] seconds;
    private final LongSupplier clockMillis;

    Throughput(int windowSeconds, LongSupplier clockMillis) {
        this.counts = new long[windowSeconds];
        this.seconds = new long[windowSeconds];
        this.clockMillis = clockMillis;
    }

    void mark() {
        long now = clockMillis.getAsLong() / 1000;
        int i = (int) (now % counts.length);
        if (seconds[i] != now) {
            seconds[i] = now;
            counts[i] = 0;
        }
        counts[i]++;
    }

    /** Mean rate over the last {@code window} complete and current seconds. */
    double perSecond(int window) {
        long now = clockMillis.getAsLong() / 1000;
        long sum = 0;
        int w = Math.min(window, counts.length);
        for (int k = 0; k < w; k++) {
            long s = now - k;
            int i = (int) (Math.floorMod(s, counts.length));
            if (seconds[i] == s) {
                sum += counts[i];
            }
        }
        return (double) sum / w;
    }
}
