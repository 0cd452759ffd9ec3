package run.codetether.agent.support;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import run.codetether.contracts.a2a.Part;
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

    /**
     * The text a client sees as {@code end}'s message: its own, or, when it is the finished answer artifact's
     * ({@link TaskEvent.StatusChanged#messageInArtifact}, issue 18), the task's streamed chunks of that artifact up
     * to the close's offset and the close's rest, as the gateway's fold puts it back.
     */
    public static String messageText(List<TaskEvent> events, TaskEvent.StatusChanged end) {
        if (!end.messageInArtifact()) {
            return end.status().message() == null ? null : end.status().message().text();
        }
        StringBuilder text = new StringBuilder();
        for (TaskEvent e : events) {
            if (e.equals(end)) {
                break;
            }
            if (e instanceof TaskEvent.ArtifactAdded a
                    && a.artifact().artifactId().equals(end.finishes().artifactId())) {
                if (!a.append()) {
                    text.setLength(0);
                } else if (a.textOffset() >= 0 && a.textOffset() <= text.length()) {
                    text.setLength((int) a.textOffset());
                }
                a.artifact().parts().forEach(p -> text.append(p instanceof Part.Text t ? t.text() : ""));
            }
        }
        if (end.finishes().offset() > text.length()) {
            throw new AssertionError("the close continues " + end.finishes().offset() + " characters, only "
                    + text.length() + " streamed: " + events);
        }
        text.setLength((int) end.finishes().offset());
        return end.shownStatus(text + end.finishes().rest()).message().text();
    }
}
