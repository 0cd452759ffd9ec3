package run.codetether.gateway.api.a2a.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.A2AException;

/**
 * The gRPC binding's codec: A2A 1.0 defines its JSON as the ProtoJSON form of a2a.proto, so a request message
 * printed with {@link JsonFormat} is exactly the params {@code V10Decoder} already validates, and
 * {@code V10Encoder}'s results parse back into the proto responses. One mapping of the A2A 1.0 model, three
 * bindings; pure functions both ways.
 */
final class ProtoJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    /** Strict: a result field a2a.proto does not know is a gateway bug, answered INTERNAL, never silently lost. */
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private ProtoJson() {}

    static ObjectNode params(Message request) {
        try {
            JsonNode node = WireJson.MAPPER.readTree(PRINTER.print(request));
            return (ObjectNode) node;
        } catch (InvalidProtocolBufferException e) {
            throw A2AException.invalidParams("request cannot be read as A2A 1.0 JSON: " + e.getMessage());
        } catch (Exception e) {
            // deeper than WireJson.MAX_DEPTH (metadata / data values), or otherwise not representable
            throw A2AException.invalidParams("request is not acceptable: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Message> T result(JsonNode json, T prototype) {
        Message.Builder builder = prototype.newBuilderForType();
        try {
            PARSER.merge(WireJson.MAPPER.writeValueAsString(json), builder);
        } catch (Exception e) {
            throw new IllegalStateException("a result does not fit " + prototype.getDescriptorForType().getFullName()
                    + ": " + e.getMessage(), e);
        }
        return (T) builder.build();
    }
}
