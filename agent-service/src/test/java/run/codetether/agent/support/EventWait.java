package run.codetether.agent.support;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import run.codetether.contracts.events.TaskEvent;

/** Polls an event list until a final status shows up (no fixed sleeps: returns as soon as it is there). */
public final class EventWait {
    private EventWait() {}

    public static TaskEvent.StatusChanged awaitFinal(Supplier<List<TaskEvent>> events, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (TaskEvent e : events.get()) {
                if (e instanceof TaskEvent.StatusChanged s && s.isFinal()) {
                    return s;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no final status within " + timeout + "; events: " + events.get());
    }
}
