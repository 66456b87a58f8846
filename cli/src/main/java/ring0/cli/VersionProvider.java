package ring0.cli;

import java.lang.module.ModuleDescriptor;
import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the {@code ring0.cli} module descriptor by the build. */
final class VersionProvider implements IVersionProvider {

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} when run off the module path. */
    static String version() {
        ModuleDescriptor d = Main.class.getModule().getDescriptor();
        if (d == null) return "unknown";
        return d.rawVersion().orElse("unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "ring0 " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
