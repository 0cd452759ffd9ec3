package run.codetether.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON codec of every Kafka record, and the one configured mapper of the whole platform (services reach it
 * through {@code run.codetether.platform.json.Json}): ISO-8601 instants, null properties left out, unknown fields
 * ignored so that a newer producer never breaks an older consumer, nesting bounded at {@link #MAX_DEPTH} so hostile
 * input fails with a parse error instead of exhausting the stack. Thread-safe.
 */
public final class ContractJson {
    /**
     * Deepest nesting any platform JSON may have: the gateway admits 64 levels of client data, a record wraps it in
     * at most a dozen more.
     */
    public static final int MAX_DEPTH = 128;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .addModule(new JavaTimeModule())
            .addModule(IsoInstants.module()) // after JavaTimeModule: its Instant codec is the fallback
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ContractJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new ContractException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new ContractException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** A record that does not match its contract. */
    public static final class ContractException extends RuntimeException {
        public ContractException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
