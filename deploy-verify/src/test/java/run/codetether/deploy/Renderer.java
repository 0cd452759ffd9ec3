package run.codetether.deploy;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Renders the platform both ways: the chart through helm-java, the overlays through `kubectl kustomize`. */
final class Renderer {
    static final String RELEASE = "codetether";
    static final String NAMESPACE = "codetether";
    /** Kubernetes version the chart is rendered for (Helm's offline default is 1.20, below the chart's floor). */
    static final String KUBE_VERSION = "1.34.0";

    private Renderer() {}

    /** Annotation that stands in for helm.sh/hook in the copy of the chart the tests render. */
    static final String HOOK_MARKER = "codetether.test/helm-hook";

    private static Path visibleHooksChart;

    /**
     * helm template with the chart defaults plus the given values files, in order. helm-java's template leaves hooks
     * out of its output, so the chart is rendered from a copy whose hook annotations are renamed to
     * {@link #HOOK_MARKER}: hook objects (the topic-creation Job) are then validated like every other object.
     */
    static Manifests chart(String label, Path... valuesFiles) {
        var cmd = new Helm(visibleHooksChart()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path f : valuesFiles) {
            cmd = cmd.withValuesFile(f);
        }
        return Manifests.parse("chart[" + label + "]", cmd.call());
    }

    private static synchronized Path visibleHooksChart() {
        if (visibleHooksChart == null) {
            try {
                Path copy = Files.createTempDirectory("codetether-chart").resolve("codetether");
                Path source = RepoPaths.chart();
                try (var files = Files.walk(source)) {
                    for (Path p : files.toList()) {
                        Path target = copy.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else if (p.toString().endsWith(".yaml") && p.getParent().endsWith("templates")) {
                            Files.writeString(target, Files.readString(p).replace("helm.sh/hook:", HOOK_MARKER + ":")
                                    .replace("helm.sh/hook-delete-policy:", HOOK_MARKER + "-delete-policy:"));
                        } else {
                            Files.copy(p, target);
                        }
                    }
                }
                visibleHooksChart = copy;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return visibleHooksChart;
    }

    /** The error helm template reports for these values (schema or a template `fail`), or null when it renders. */
    static String chartError(Path... valuesFiles) {
        try {
            chart("expect-error", valuesFiles);
            return null;
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Whether kubectl is on the PATH (the kustomize tests skip without it). */
    static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kubectl kustomize of one directory under k8s/ (base, overlays/dev, overlays/gpu). */
    static Manifests kustomize(String dir) {
        Path path = RepoPaths.k8s().resolve(dir);
        if (!Files.isDirectory(path)) {
            throw new AssertionError("missing kustomize directory " + path);
        }
        try {
            Path errFile = Files.createTempFile("kustomize", ".err");
            Process p = new ProcessBuilder("kubectl", "kustomize", path.toString())
                    .redirectError(errFile.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String err = Files.readString(errFile);
            Files.deleteIfExists(errFile);
            if (!done || p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            return Manifests.parse("kustomize[" + dir + "]", out);
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize " + dir + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
