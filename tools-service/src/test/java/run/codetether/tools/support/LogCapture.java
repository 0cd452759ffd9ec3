package run.codetether.tools.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log line of the JVM while open (formatted message plus the stack trace text), for leak probes. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Level before;
    private final Logger ours = Logger.getLogger("run.codetether");
    private final Level oursBefore;

    public LogCapture() {
        setLevel(Level.ALL);
        before = root.getLevel();
        oursBefore = ours.getLevel();
        ours.setLevel(Level.ALL);
        root.addHandler(this);
    }

    public List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord r) {
        String msg = r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                : new java.util.logging.SimpleFormatter().formatMessage(r);
        StringBuilder b = new StringBuilder(r.getLoggerName() + " " + r.getLevel() + " " + msg);
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            b.append(" | ").append(t);
        }
        lines.add(b.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
        root.setLevel(before);
        ours.setLevel(oursBefore);
    }
}
