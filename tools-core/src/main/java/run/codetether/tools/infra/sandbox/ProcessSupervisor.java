package run.codetether.tools.infra.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;

/**
 * Runs one started process to its end: drains stdout and stderr on virtual threads (streaming each chunk to the
 * sink), keeps at most the output cap, kills the process tree at the wall-clock limit or when output passes the
 * flood limit. Killing the outer bubblewrap process tears down its pid namespace, so nothing inside survives.
 */
final class ProcessSupervisor {

    private ProcessSupervisor() {}

    static ExecResult supervise(Process p, ExecSpec spec, OutputSink sink, long killAfterBytes) {
        int cap = spec.outputCapBytes();
        AtomicLong total = new AtomicLong();
        AtomicBoolean flooded = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Object lock = new Object();
        long[] kept = {0};
        Thread o = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out, sink::stdout, cap, kept, lock, total,
                killAfterBytes, flooded, p));
        Thread e = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err, sink::stderr, cap, kept, lock, total,
                killAfterBytes, flooded, p));
        boolean timedOut;
        try {
            long deadline = System.nanoTime() + spec.timeout().toNanos();
            boolean exited = false;
            boolean cancelled = false;
            // Wait in slices so a caller that went away (cancelled stream) stops the command too.
            while (!exited && !cancelled && System.nanoTime() < deadline) {
                long slice = Math.min(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1, 250);
                exited = p.waitFor(slice, TimeUnit.MILLISECONDS);
                cancelled = !exited && sink.cancelled();
            }
            timedOut = !exited && !cancelled;
            if (!exited) {
                killTree(p);
            }
            p.waitFor();
            o.join(5_000);
            e.join(5_000);
        } catch (InterruptedException ie) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new ToolException(ToolException.Code.UNAVAILABLE, "interrupted; the command was killed");
        }
        int code = p.exitValue();
        synchronized (lock) {
            return new ExecResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    timedOut, total.get() > cap || flooded.get(), total.get());
        }
    }

    static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void drain(InputStream in, ByteArrayOutputStream keep, Consumer<String> stream, int cap,
            long[] kept, Object lock, AtomicLong total, long killAfterBytes, AtomicBoolean flooded, Process p) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer pending = ByteBuffer.allocate(16 * 1024 + 8);
        CharBuffer chars = CharBuffer.allocate(16 * 1024 + 8);
        byte[] buf = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                long seen = total.addAndGet(n);
                int room;
                synchronized (lock) {
                    room = (int) Math.max(0, Math.min(n, cap - kept[0]));
                    keep.write(buf, 0, room);
                    kept[0] += room;
                }
                if (room > 0) {
                    pending.put(buf, 0, room);
                    pending.flip();
                    dec.decode(pending, chars, false);
                    pending.compact();
                    chars.flip();
                    if (chars.hasRemaining()) {
                        stream.accept(chars.toString());
                    }
                    chars.clear();
                }
                if (seen > killAfterBytes && flooded.compareAndSet(false, true)) {
                    killTree(p);
                }
            }
        } catch (IOException ignored) {
            // The process died (or was killed) and closed its end; what we have is the output.
        }
    }
}
