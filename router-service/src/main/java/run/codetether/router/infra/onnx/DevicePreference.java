package run.codetether.router.infra.onnx;

import java.util.Locale;

/** {@code CODETETHER_TOOL_ROUTER_DEVICE}: auto (CUDA when the build and host have it, else CPU), cpu, cuda. */
public enum DevicePreference {
    AUTO, CPU, CUDA;

    public static DevicePreference of(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown router device '" + value + "' (expected auto, cpu or cuda)");
        }
    }
}
