package run.codetether.platform.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import run.codetether.contracts.events.ContractJson;

/**
 * The platform's one configured Jackson mapper, for everything that is not an A2A wire document: Kafka records,
 * tool arguments and results, the secrets file, LSP and provider JSON, test servers. It is the mapper that
 * {@link ContractJson} configures (contracts owns the settings because they are part of the wire format; this class
 * is how services and the CLI reach it): ISO-8601 instants, null properties and null map values left out (a {@code JsonNode} tree is written as
 * built, explicit nulls included),
 * unknown fields ignored, nesting bounded at {@link ContractJson#MAX_DEPTH}. Never {@code configure} it: take a
 * {@link ObjectMapper#copy()} only where a format really differs, and say why. The gateway's A2A codec
 * ({@code WireJson}) is a separate, stricter parser for untrusted client input on purpose. Thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = ContractJson.mapper();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    /**
     * The platform's settings except that nulls are written as given: another party's protocol (MCP, where the SDK's
     * own types say what to leave out, and a tool argument {@code null} means something else than no argument) must
     * reach the other side exactly as built.
     */
    private static final ObjectMapper AS_BUILT = MAPPER.copy().setDefaultPropertyInclusion(
            com.fasterxml.jackson.annotation.JsonInclude.Value.construct(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS,
                    com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS));

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** For another party's protocol (MCP): the platform's settings, nulls written as given (see {@link #AS_BUILT}). */
    public static ObjectMapper writingNulls() {
        return AS_BUILT;
    }

    /** Parses a document that may be malformed (model output, files, requests): the caller decides what a bad one means. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Serializes a value the platform built itself (a tree, a map, a record), where failure is a programming error. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** As {@link #write} but UTF-8 bytes. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Indented output for files people read (the secrets file, prd.json). */
    public static ObjectWriter pretty() {
        return PRETTY;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }
}
