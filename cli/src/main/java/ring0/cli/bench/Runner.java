package ring0.cli.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs one benchmark program, built once, through one gate.
 */
sealed interface Runner permits NativeRunner, KernelRunner {
    /** The gate this runner uses. */
    Gate gate();

    /**
     * Runs the program with {@code args} (after argument 0, its name) to its
     * end and returns what it wrote to standard output.
     *
     * @throws BenchException if it could not be started, failed, or ran out of time
     */
    String run(List<String> args) throws BenchException, InterruptedException;

    /** The name under which the program sees {@code hostFile}, a file inside the workspace. */
    String path(Path hostFile);
}
