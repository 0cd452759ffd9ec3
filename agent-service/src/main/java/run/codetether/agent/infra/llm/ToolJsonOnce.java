package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
import run.codetether.contracts.events.SerializerFront;

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
 *
 * <p>The agent's own tools skip that comparison: hashing and comparing every schema map of ~20 tools on every call
 * was 11 % of the agent's CPU on the full path (JFR, issue 18), more than the encoding it saved. Each
 * {@link dev.langchain4j.agent.tool.ToolSpecification} the agent builds ({@link ToolSpecifications}) gets a
 * description instance of its own ({@link #ownDescription}), and the client's OpenAI mapper builds a tool from a
 * spec as a pure function of it (its name, that description instance, the parameters converted from the spec's
 * immutable schema, and the strict flag it carries): a tool carrying a registered description is keyed by that
 * instance, its name, type and strict flag, without looking at its maps. A tool whose description was not made
 * here (another caller's, a spec built elsewhere) takes the whole comparison as before.
 */
final class ToolJsonOnce {
    static final int MAX_TOOLS = 4_096;
    private static final Map<Key, char[]> ENCODED = new ConcurrentHashMap<>();
    /** Tools of the agent's own specs, by their description instance ({@link #ownDescription}). */
    private static final Map<Own, char[]> OWN_ENCODED = new ConcurrentHashMap<>();
    /** The description instances made by {@link #ownDescription}, by identity. */
    private static final Map<Ref, Boolean> OWN_DESCRIPTIONS = new ConcurrentHashMap<>();
    private static final AtomicLong ENCODINGS = new AtomicLong();
    private static final AtomicLong COMPARED = new AtomicLong();

    private ToolJsonOnce() {}

    /** The module that makes {@code mapper} (writing through {@code factory}) write each distinct tool once. */
    static SimpleModule module(JsonFactory factory) {
        return SerializerFront.module("codetether-openai-tool-json-once", Tool.class, usual -> new Once(usual, factory));
    }

    /** How many times a tool was encoded (cache misses), for tests. */
    static long encodings() {
        return ENCODINGS.get();
    }

    /** How many tools were looked up by the whole comparison of their maps (not by their own description), for tests. */
    static long compared() {
        return COMPARED.get();
    }

    /**
     * A description instance that belongs to one spec only: a tool built from the spec carries it, and this class
     * keys that tool by it (see the class comment). The text is the given one; only its identity is new.
     */
    @SuppressWarnings("StringOperationCanBeSimplified") // the new instance is the point
    static String ownDescription(String description) {
        String own = new String(description);
        if (OWN_DESCRIPTIONS.size() >= MAX_TOOLS) {
            OWN_DESCRIPTIONS.clear(); // older specs' tools take the whole comparison; never a wrong hit
            OWN_ENCODED.clear();
        }
        OWN_DESCRIPTIONS.put(new Ref(own), Boolean.TRUE);
        return own;
    }

    /** The cached JSON of {@code tool}, or null when it was not encoded yet. */
    private static char[] cached(Tool tool, Own own) {
        if (own != null) {
            return OWN_ENCODED.get(own);
        }
        COMPARED.incrementAndGet();
        return ENCODED.get(new Key(tool));
    }

    private static void keep(Tool tool, Own own, char[] json) {
        if (own != null) {
            if (OWN_ENCODED.size() >= MAX_TOOLS) {
                OWN_ENCODED.clear();
            }
            OWN_ENCODED.put(own, json);
            return;
        }
        if (ENCODED.size() >= MAX_TOOLS) {
            ENCODED.clear();
        }
        ENCODED.put(new Key(tool), json);
    }

    /** The key of a tool built from one of the agent's own specs, or null for any other tool. */
    private static Own own(Tool tool) {
        Function f = tool.function();
        if (f == null || f.description() == null || !OWN_DESCRIPTIONS.containsKey(new Ref(f.description()))) {
            return null;
        }
        return new Own(f.description(), f.name(), f.strict(), tool.type());
    }

    private static final class Once extends SerializerFront<Tool> {
        private final JsonFactory factory;

        Once(JsonSerializer<Object> library, JsonFactory factory) {
            super(library);
            this.factory = factory;
        }

        @Override
        public void serialize(Tool tool, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Own own = own(tool);
            char[] json = cached(tool, own);
            if (json == null) {
                StringWriter out = new StringWriter(512);
                // a plain generator of the mapper's factory: compact, as the mapper's requests are (OpenAiWireJson)
                try (JsonGenerator g = factory.createGenerator(out)) {
                    usual.serialize(tool, g, provider);
                }
                json = out.toString().toCharArray();
                ENCODINGS.incrementAndGet();
                keep(tool, own, json);
            }
            // as chars: the client writes its body through a char-based generator, and a String here was inflated
            // from Latin-1 into chars on every call (4.8 % of the agent's JFR samples after the key cut)
            gen.writeRawValue(json, 0, json.length);
        }

        @Override
        protected Once before(JsonSerializer<Object> other) {
            return new Once(other, factory);
        }
    }

    /** A string by identity. */
    private record Ref(String s) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Ref r && r.s == s;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(s);
        }
    }

    /** A tool of one of the agent's own specs: that spec's description instance, and what the mapper adds to it. */
    private record Own(String description, String name, Boolean strict, Object type) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Own k && k.description == description && Objects.equals(k.name, name)
                    && Objects.equals(k.strict, strict) && Objects.equals(k.type, type);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(description) * 31 + Objects.hashCode(name);
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
