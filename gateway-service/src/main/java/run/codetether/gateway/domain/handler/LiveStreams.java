package run.codetether.gateway.domain.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.gateway.domain.A2AException;

/**
 * The streams this replica serves (SendStreamingMessage, SubscribeToTask), so that a gateway going down ends each
 * of them with an error the client can act on (retryable UNAVAILABLE: resubscribe to another replica) instead of a
 * cut connection that looks like a network fault.
 */
public final class LiveStreams {
    private final Set<StreamRelay> relays = ConcurrentHashMap.newKeySet();

    void add(StreamRelay relay) {
        relays.add(relay);
    }

    void remove(StreamRelay relay) {
        relays.remove(relay);
    }

    /** How many streams are open. */
    public int size() {
        return relays.size();
    }

    /**
     * Ends every open stream with a retryable error ({@link A2AException#streamEnded}).
     *
     * @param why the stable word in the error's details ({@code shutdown})
     * @return how many streams were ended
     */
    public int abortAll(String why, String message, long retryAfterSeconds) {
        List<StreamRelay> open = new ArrayList<>(relays);
        for (StreamRelay r : open) {
            r.abort(A2AException.streamEnded(r.taskId(), why, message, retryAfterSeconds));
            relays.remove(r);
        }
        return open.size();
    }
}
