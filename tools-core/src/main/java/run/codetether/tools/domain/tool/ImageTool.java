package run.codetether.tools.domain.tool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.ToolResult;

/**
 * image: loads a workspace image for a vision model as a base64 data URL. The type comes from the file's magic
 * bytes (not its name); files above the size cap are refused; width and height are read from the header only.
 */
public final class ImageTool implements Tool {

    private final long maxBytes;

    public ImageTool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "image";
    }

    @Override
    public String description() {
        return "image(path: string, detail?: low|high|auto) - Load an image file (PNG, JPEG, GIF, WebP, SVG, BMP, TIFF)"
                + " as a base64 data URL for vision-capable models (max " + maxBytes + " bytes).";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "path":{"type":"string","description":"Path to the image file in the workspace"},
                "detail":{"type":"string","enum":["low","high","auto"],"description":"Optional detail level for vision models"}},
                "required":["path"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        String raw = call.args().requireString("path");
        String detail = call.args().string("detail").orElse("auto");
        if (!detail.equals("low") && !detail.equals("high") && !detail.equals("auto")) {
            throw ToolException.invalid("image: 'detail' must be low, high or auto");
        }
        if (raw.matches("(?i)^[a-z][a-z0-9+.-]*://.*")) {
            throw ToolException.invalid("image: URLs are not loaded directly; only workspace files (download it with"
                    + " webfetch or bash first where egress is allowed)");
        }
        Path p = call.session().paths().resolve(raw);
        String shown = call.session().paths().display(p);
        if (!Files.isRegularFile(p)) {
            throw new ToolException(Code.NOT_FOUND, "image file not found: " + shown);
        }
        try {
            long size = Files.size(p);
            if (size > maxBytes) {
                throw new ToolException(Code.TOO_LARGE, shown + " is " + size + " bytes, above the image limit of "
                        + maxBytes + " bytes; scale it down first");
            }
            byte[] bytes = Files.readAllBytes(p);
            String mime = mimeOf(bytes);
            if (mime == null) {
                throw ToolException.invalid(shown + " is not a recognised image (PNG, JPEG, GIF, WebP, SVG, BMP, TIFF)");
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("mime_type", mime);
            meta.put("size_bytes", size);
            meta.put("detail", detail);
            dimensions(bytes, meta);
            String dataUrl = "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
            return ToolResult.success(dataUrl, meta);
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot read " + shown + ": " + e.getMessage(), e);
        }
    }

    static String mimeOf(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (starts(b, 'R', 'I', 'F', 'F') && b.length > 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        if (starts(b, 'B', 'M')) {
            return "image/bmp";
        }
        if (starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)) {
            return "image/tiff";
        }
        String head = new String(b, 0, Math.min(b.length, 512), StandardCharsets.UTF_8).stripLeading();
        if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg"))) {
            return "image/svg+xml";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... sig) {
        if (b.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static void dimensions(byte[] bytes, Map<String, Object> meta) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (in == null) {
                return;
            }
            var readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader r = readers.next();
                try {
                    r.setInput(in, true, true);
                    meta.put("width", r.getWidth(0));
                    meta.put("height", r.getHeight(0));
                } finally {
                    r.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            meta.put("dimensions_error", "header could not be read: " + e.getMessage());
        }
    }
}
