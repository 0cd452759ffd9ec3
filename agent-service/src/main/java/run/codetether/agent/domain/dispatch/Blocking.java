package run.codetether.agent.domain.dispatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs a blocking call on its own virtual thread and waits for it interruptibly: when the waiting thread is
 * interrupted (a cancel), the call is interrupted too and the wait ends at once, whether or not the library
 * under the call honours interrupts quickly.
 */
public final class Blocking {
    private Blocking() {}

    public interface Call<T, E extends Exception> {
        T call() throws E, InterruptedException;
    }

    @SuppressWarnings("unchecked")
    public static <T, E extends Exception> T call(Call<T, E> call, Class<E> failure) throws E, InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            t.interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (failure.isInstance(c)) {
                throw (E) c;
            }
            if (c instanceof InterruptedException ie) {
                throw ie;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
