package dev.parley.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} for every Parley command: the command's name and the Implementation-Version
 * of the jar its class was loaded from, so the answer always matches the build. It reads the
 * command's own class, not this one: in an image this class comes from {@code parley-cli.jar},
 * whose manifest says nothing about the program. Run from {@code target/classes} (an IDE, a
 * test), there is no manifest and the version reads {@code (development build)}. A command with
 * more to say implements {@link Details}.
 */
public final class ManifestVersionProvider implements IVersionProvider {
    /** What {@code --version} says where no manifest gives a version. */
    public static final String DEVELOPMENT = "(development build)";

    /** A command whose {@code --version} says more than its name and build (the protocol it speaks, say). */
    public interface Details {
        /** Lines after the first. */
        List<String> versionDetails();
    }

    // Picocli injects the spec only into a field declared by the provider class itself, not by a
    // superclass: the reason Details is an interface of the command rather than a subclass hook.
    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add(spec.name() + " " + versionOf(spec.userObject().getClass()));
        if (spec.userObject() instanceof Details details) {
            lines.addAll(details.versionDetails());
        }
        return lines.toArray(String[]::new);
    }

    /** The Implementation-Version of the jar {@code type} came from, or {@link #DEVELOPMENT}. */
    public static String versionOf(Class<?> type) {
        Package p = type.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null || v.isBlank() ? DEVELOPMENT : v;
    }
}
