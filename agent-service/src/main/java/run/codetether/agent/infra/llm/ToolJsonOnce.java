package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import dev.langchain4j.model.openai.internal.chat.Function;
import dev.langchain4j.model.openai.internal.chat.Tool;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each offered tool's JSON in LangChain4j's OpenAI request bodies, encoded once per distinct tool instead of on
 * every model call. The client rebuilds its request (every tool's schema as nested maps) per call and writes it
 * whole; a run offers the same ~20 tools on every call, and writing them was the largest part of the request
 * encoding left in the agent's JFR profile (issue 18). The client has no seam for a pre-encoded catalog, so this
 * wraps the mapper's own serializer of {@link Tool}: the first time a tool is seen it is written by that serializer
 * (the bytes are the library's), later equal tools get those bytes as a raw value.
 *
 * <p>Never stale: the key is the whole tool compared in order (type, name, description, strict, every schema map's
 * entries in iteration order), so any change of a tool, including only the order of its schema's keys, is a miss
 * and is encoded again. Bounded: past {@link #MAX_TOOLS} distinct tools the cache starts over.
 */
final class ToolJsonOnce {
    static final int MAX_TOOLS = 4_096;
    private static final Map<Key, String> ENCODED = new ConcurrentHashMap<>();
    private static final AtomicLong ENCODINGS = new AtomicLong();

    private ToolJsonOnce() {}

    /** The module that makes {@code mapper} (writing through {@code factory}) write each distinct tool once. */
    static SimpleModule module(JsonFactory factory) {
        SimpleModule m = new SimpleModule("codetether-openai-tool-json-once");
        m.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription desc,
                    JsonSerializer<?> serializer) {
                return desc.getBeanClass() == Tool.class
                        ? new Once((JsonSerializer<Object>) serializer, factory) : serializer;
            }
        });
        return m;
    }

    /** How many times a tool was encoded (cache misses), for tests. */
    static long encodings() {
        return ENCODINGS.get();
    }

    private static final class Once extends JsonSerializer<Tool> implements ResolvableSerializer, ContextualSerializer {
        private final JsonSerializer<Object> library;
        private final JsonFactory factory;

        Once(JsonSerializer<Object> library, JsonFactory factory) {
            this.library = library;
            this.factory = factory;
        }

        @Override
        public void serialize(Tool tool, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Key key = new Key(tool);
            String json = ENCODED.get(key);
            if (json == null) {
                StringWriter out = new StringWriter(512);
                // a plain generator of the mapper's factory: compact, as the mapper's requests are (OpenAiWireJson)
                try (JsonGenerator g = factory.createGenerator(out)) {
                    library.serialize(tool, g, provider);
                }
                json = out.toString();
                ENCODINGS.incrementAndGet();
                if (ENCODED.size() >= MAX_TOOLS) {
                    ENCODED.clear();
                }
                ENCODED.put(key, json);
            }
            gen.writeRawValue(json);
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (library instanceof ResolvableSerializer r) {
                r.resolve(provider);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            if (library instanceof ContextualSerializer c) {
                JsonSerializer<?> s = c.createContextual(provider, property);
                return s == library ? this : new Once((JsonSerializer<Object>) s, factory);
            }
            return this;
        }
    }

    /** A tool compared by everything its JSON shows, in order (its own equals ignores the order of map entries). */
    private static final class Key {
        private final Tool tool;
        private final int hash;

        Key(Tool tool) {
            this.tool = tool;
            this.hash = tool.hashCode();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.hash != hash) {
                return false;
            }
            Function a = tool.function();
            Function b = k.tool.function();
            if (a == null || b == null) {
                return a == b && tool.type() == k.tool.type();
            }
            return tool.type() == k.tool.type() && Objects.equals(a.name(), b.name())
                    && Objects.equals(a.description(), b.description()) && Objects.equals(a.strict(), b.strict())
                    && sameInOrder(a.parameters(), b.parameters());
        }

        private static boolean sameInOrder(Object a, Object b) {
            if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
                if (x.size() != y.size()) {
                    return false;
                }
                Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
                Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
                while (i.hasNext()) {
                    Map.Entry<?, ?> e = i.next();
                    Map.Entry<?, ?> f = j.next();
                    if (!Objects.equals(e.getKey(), f.getKey()) || !sameInOrder(e.getValue(), f.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            if (a instanceof List<?> x && b instanceof List<?> y) {
                if (x.size() != y.size()) {
                    return false;
                }
                for (int n = 0; n < x.size(); n++) {
                    if (!sameInOrder(x.get(n), y.get(n))) {
                        return false;
                    }
                }
                return true;
            }
            if (a instanceof Map<?, ?> || b instanceof Map<?, ?> || a instanceof List<?> || b instanceof List<?>) {
                return false;
            }
            return Objects.equals(a, b) && (a == null || a.getClass() == b.getClass());
        }
    }
}
