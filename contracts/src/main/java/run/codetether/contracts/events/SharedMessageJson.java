package run.codetether.contracts.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Message;

/**
 * Several records that carry the same {@link Message} (an accepted task's {@code MessageAdded} event and its
 * {@code StartTask} command), encoded with that message encoded once: its JSON is written once and copied into each
 * record where the message sits. The bytes are exactly {@link ContractJson#write}'s for each record (the wire does
 * not change, so readers of any version read them), only the work differs: the user's message (up to the gateway's
 * input limit, megabytes with files) was encoded once per record (issue 18/20, the accept's Kafka writes).
 */
public final class SharedMessageJson {
    /** The message being shared on this thread while {@link #writeAll} runs, and its JSON. */
    private static final ThreadLocal<Shared> CURRENT = new ThreadLocal<>();

    private static final ObjectMapper SPLICING = ContractJson.mapper().copy().registerModule(new SimpleModule()
            .setSerializerModifier(new BeanSerializerModifier() {
                @Override
                @SuppressWarnings("unchecked")
                public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription desc,
                        JsonSerializer<?> serializer) {
                    return desc.getBeanClass() == Message.class
                            ? new Splice((JsonSerializer<Object>) serializer) : serializer;
                }
            }));

    private SharedMessageJson() {}

    private record Shared(Message message, Utf8 json) {}

    /**
     * Each of {@code records} as {@link ContractJson#write} encodes it, with {@code message} (the same instance the
     * records hold) encoded once for all of them.
     */
    public static List<byte[]> writeAll(Message message, List<?> records) {
        Shared outer = CURRENT.get();
        CURRENT.set(new Shared(message, new Utf8(ContractJson.write(message))));
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
    private static final class Splice extends JsonSerializer<Object>
            implements ResolvableSerializer, ContextualSerializer {
        private final JsonSerializer<Object> usual;

        Splice(JsonSerializer<Object> usual) {
            this.usual = usual;
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (usual instanceof ResolvableSerializer r) {
                r.resolve(provider);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            if (usual instanceof ContextualSerializer c) {
                JsonSerializer<?> ready = c.createContextual(provider, property);
                return ready == usual ? this : new Splice((JsonSerializer<Object>) ready);
            }
            return this;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Shared s = CURRENT.get();
            if (s != null && s.message() == value) {
                gen.writeRawValue(s.json());
            } else {
                usual.serialize(value, gen, provider);
            }
        }
    }

    /** JSON already encoded as UTF-8, written unquoted (a raw value); a raw value is never quoted. */
    private static final class Utf8 implements SerializableString {
        private final byte[] bytes;

        Utf8(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public String getValue() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return bytes;
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String s = getValue();
            if (offset + s.length() > buffer.length) {
                return -1;
            }
            s.getChars(0, s.length(), buffer, offset);
            return s.length();
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (bytes.length > buffer.remaining()) {
                return -1;
            }
            buffer.put(bytes);
            return bytes.length;
        }

        @Override
        public char[] asQuotedChars() {
            throw quoted();
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw quoted();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw quoted();
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw quoted();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw quoted();
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw quoted();
        }

        private static UnsupportedOperationException quoted() {
            return new UnsupportedOperationException("a message's JSON is a raw value, never a quoted string");
        }
    }
}
