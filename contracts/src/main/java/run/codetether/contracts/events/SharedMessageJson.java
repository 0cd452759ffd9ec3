package run.codetether.contracts.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Message;

/**
 * Several records that carry the same {@link Message} (an accepted task's submitted status, which carries the user's
 * message, and its {@code StartTask} command), encoded with that message encoded once: its JSON is written once and copied into each
 * record where the message sits. The bytes are exactly {@link ContractJson#write}'s for each record (the wire is
 * what each record's own encoding is; which releases read a record depends on its shape, not on this), only the work
 * differs: the user's message (up to the gateway's
 * input limit, megabytes with files) was encoded once per record (issue 18/20, the accept's Kafka writes).
 */
public final class SharedMessageJson {
    /** The message being shared on this thread while {@link #writeAll} runs, and its JSON. */
    private static final ThreadLocal<Shared> CURRENT = new ThreadLocal<>();

    private static final ObjectMapper SPLICING = ContractJson.mapper().copy()
            .registerModule(SerializerFront.module("codetether-shared-message", Message.class, Splice::new));

    private SharedMessageJson() {}

    private record Shared(Message message, EncodedJson json) {}

    /**
     * Each of {@code records} as {@link ContractJson#write} encodes it, with {@code message} (the same instance the
     * records hold) encoded once for all of them.
     */
    public static List<byte[]> writeAll(Message message, List<?> records) {
        Shared outer = CURRENT.get();
        CURRENT.set(new Shared(message, new EncodedJson(ContractJson.write(message))));
        try {
            List<byte[]> out = new ArrayList<>(records.size());
            for (Object r : records) {
                out.add(SPLICING.writeValueAsBytes(r));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new ContractJson.ContractException("cannot encode " + records + ": " + e.getOriginalMessage(), e);
        } finally {
            CURRENT.set(outer);
        }
    }

    /**
     * Writes the shared message's JSON as it is; any other message as usual. Resolution and contextualization go
     * to the usual serializer (without them its parts would lose their {@code kind}).
     */
    private static final class Splice extends SerializerFront<Object> {
        Splice(JsonSerializer<Object> usual) {
            super(usual);
        }

        @Override
        protected Splice before(JsonSerializer<Object> other) {
            return new Splice(other);
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Shared s = CURRENT.get();
            if (s != null && s.message() == value) {
                s.json().serialize(gen, provider);
            } else {
                usual.serialize(value, gen, provider);
            }
        }
    }
}
