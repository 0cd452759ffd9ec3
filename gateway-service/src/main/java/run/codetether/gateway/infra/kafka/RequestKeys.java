package run.codetether.gateway.infra.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.gateway.domain.StartSweep;

/**
 * Reads the {@link StartSweep#requestKey request key} of one {@code tasks.requested} record (a {@link TaskCommand}'s
 * JSON) with a streaming parse: the start sweep needs only the task id and the message id, and decoding the whole
 * command (the user's parts, metadata, workspace) on every request was 4.3 % of a loaded gateway's samples.
 *
 * <p>The record is still read to its end, and refused where the full decode would refuse it on what the key depends
 * on (no or an unknown {@code type}, a blank {@code taskId}/{@code contextId}, no {@code message}, a blank
 * {@code messageId}, no or an unknown {@code role}, malformed JSON), so a record the agents cannot read is not taken
 * for a request that landed. The parts and metadata are skipped unchecked: only a hand-made record could differ there.
 */
final class RequestKeys {
    private RequestKeys() {}

    /** @throws ContractJson.ContractException when the record is not a task command */
    static String of(byte[] json) {
        try (JsonParser p = ContractJson.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw refused("not a JSON object");
            }
            String type = null;
            String taskId = null;
            String contextId = null;
            String messageId = null;
            boolean message = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = scalar(p, value);
                    case "taskId" -> taskId = scalar(p, value);
                    case "contextId" -> contextId = scalar(p, value);
                    case "message" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw refused("no message");
                        }
                        message = true;
                        messageId = messageId(p);
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw refused("malformed JSON");
            }
            if (!"start_task".equals(type) && !"continue_task".equals(type)) {
                throw refused("unknown type " + type);
            }
            if (blank(taskId) || blank(contextId) || !message) {
                throw refused("taskId, contextId and message are required");
            }
            return StartSweep.requestKey(taskId, messageId);
        } catch (IOException e) {
            throw new ContractJson.ContractException("cannot decode TaskCommand: " + e.getMessage(), e);
        }
    }

    /** Reads the message object the parser stands at the start of, to its end; its messageId, checked as Message does. */
    private static String messageId(JsonParser p) throws IOException {
        String id = null;
        String role = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "messageId" -> id = scalar(p, value);
                case "role" -> role = scalar(p, value);
                default -> p.skipChildren();
            }
        }
        if (blank(id)) {
            throw refused("message needs a messageId");
        }
        if (role == null) {
            throw refused("message needs a role");
        }
        try {
            Role.valueOf(role);
        } catch (IllegalArgumentException e) {
            throw refused("unknown role " + role);
        }
        return id;
    }

    /** A text field as the full decode reads it: a string, or a number/boolean taken as its text; null for null. */
    private static String scalar(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue()) {
            throw refused("field " + p.currentName() + " is not text");
        }
        return p.getText();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static ContractJson.ContractException refused(String why) {
        return new ContractJson.ContractException("cannot decode TaskCommand: " + why, null);
    }
}
