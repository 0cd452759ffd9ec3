package run.codetether.contracts.a2a;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * One piece of a message or artifact. Closed set: text, file (inline bytes or a URI) and structured data, as in A2A.
 * This is the platform's internal form; the gateway converts it to the 1.0 and 0.3 wire shapes.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Part.Text.class, name = "text"),
    @JsonSubTypes.Type(value = Part.File.class, name = "file"),
    @JsonSubTypes.Type(value = Part.Data.class, name = "data")
})
public sealed interface Part {

    Map<String, Object> metadata();

    /**
     * Text; {@code mediaType} says what kind when it is not plain prose (e.g. {@code text/x-diff}), null otherwise.
     */
    record Text(String text, String mediaType, Map<String, Object> metadata) implements Part {
        public Text {
            if (text == null) {
                throw new IllegalArgumentException("text part needs text");
            }
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }

        public Text(String text, Map<String, Object> metadata) {
            this(text, null, metadata);
        }

        public static Text of(String text) {
            return new Text(text, null, Map.of());
        }
    }

    /** A file, either inline ({@code bytesBase64}) or by reference ({@code uri}); exactly one is set. */
    record File(String name, String mediaType, String bytesBase64, String uri, Map<String, Object> metadata)
            implements Part {
        public File {
            if ((bytesBase64 == null) == (uri == null)) {
                throw new IllegalArgumentException("file part needs exactly one of bytes or uri");
            }
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }

    record Data(Object data, Map<String, Object> metadata) implements Part {
        public Data {
            if (data == null) {
                throw new IllegalArgumentException("data part needs data");
            }
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }
}
