package run.codetether.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deploy artifacts live: the chart, the kustomize tree and the values sets the tests render. */
final class RepoPaths {
    private RepoPaths() {}

    /** Repository root: the surefire property set by the pom, else the nearest parent holding helm/codetether. */
    static Path root() {
        String configured = System.getProperty("codetether.repo.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "helm", "codetether"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("helm/codetether"))) {
                return p;
            }
        }
        throw new IllegalStateException("helm/codetether not found above " + Path.of("").toAbsolutePath());
    }

    static Path chart() {
        return root().resolve("helm/codetether");
    }

    static Path k8s() {
        return root().resolve("k8s");
    }

    /** Test values sets (all-features, bad values) kept beside the tests. */
    static Path testValues(String name) {
        return root().resolve("deploy-verify/src/test/resources/values").resolve(name);
    }
}
