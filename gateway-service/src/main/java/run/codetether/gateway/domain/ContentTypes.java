package run.codetether.gateway.domain;

import java.util.List;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;

/** The media types the coding agent reads and writes; anything else is ContentTypeNotSupported (-32005). */
public final class ContentTypes {
    public static final List<String> INPUT_MODES =
            List.of("text/plain", "text/markdown", "application/json", "text/*", "image/png", "image/jpeg");
    public static final List<String> OUTPUT_MODES = List.of("text/plain", "text/markdown", "application/json");

    private ContentTypes() {}

    public static void checkInput(Message message) {
        checkInput(message, -1);
    }

    /** As {@link #checkInput(Message)}, but part {@code archivePart} is the workspace archive (its own checks). */
    public static void checkInput(Message message, int archivePart) {
        for (int i = 0; i < message.parts().size(); i++) {
            Part p = message.parts().get(i);
            if (i != archivePart && p instanceof Part.File f && f.mediaType() != null && !f.mediaType().isBlank()
                    && !accepted(f.mediaType(), INPUT_MODES)) {
                throw new A2AException(A2AError.CONTENT_TYPE_NOT_SUPPORTED,
                        "Unsupported media type " + f.mediaType() + "; supported: " + INPUT_MODES);
            }
        }
    }

    public static void checkOutput(List<String> acceptedOutputModes) {
        if (acceptedOutputModes.isEmpty()) {
            return;
        }
        for (String mode : acceptedOutputModes) {
            if (mode.equals("*/*") || accepted(mode, OUTPUT_MODES) || mode.equals("text/*")) {
                return;
            }
        }
        throw new A2AException(A2AError.CONTENT_TYPE_NOT_SUPPORTED,
                "None of the accepted output modes " + acceptedOutputModes + " is produced; produced: " + OUTPUT_MODES);
    }

    private static boolean accepted(String mediaType, List<String> modes) {
        String base = mediaType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (String m : modes) {
            if (m.equals(base) || (m.endsWith("/*") && base.startsWith(m.substring(0, m.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
