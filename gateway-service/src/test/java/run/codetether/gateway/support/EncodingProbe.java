package run.codetether.gateway.support;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A value that counts how often it is encoded as JSON: put in a message's or a task's data, its one property's
 * getter runs once per encoding of what holds it (to prove a record is encoded once, not how it is encoded).
 */
public final class EncodingProbe {
    private final AtomicInteger encodings;

    public EncodingProbe(AtomicInteger encodings) {
        this.encodings = encodings;
    }

    /** The encoding's number, written as the property {@code times}. */
    public int getTimes() {
        return encodings.incrementAndGet();
    }
}
